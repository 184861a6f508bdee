package zonegate.packet;

import java.nio.ByteBuffer;

/**
 * A buffer on loan from a {@link BufferPool}. Whoever holds it owns it, until it is handed on (through a
 * queue, with its packet) or given back with {@link BufferPool#release}. The wrapper, not the
 * {@link ByteBuffer}, is the ticket: release the same {@code PooledBuffer} that was acquired.
 */
public final class PooledBuffer {
    private final BufferPool pool;
    private final int index;
    private final ByteBuffer buffer;

    PooledBuffer(BufferPool pool, int index, ByteBuffer buffer) {
        this.pool = pool;
        this.index = index;
        this.buffer = buffer;
    }

    /** The bytes: capacity {@link BufferPool#bufferSizeBytes()}, cleared (position 0, limit = capacity) on acquire. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** The pool this buffer belongs to. */
    public BufferPool pool() {
        return pool;
    }

    int index() {
        return index;
    }
}
