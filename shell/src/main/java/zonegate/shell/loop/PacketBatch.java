package zonegate.shell.loop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;

/**
 * A batch of packets travelling through a queue as one item: the pooled buffers, their byte views (the
 * arrays the batched syscalls take) and, for UDP, each datagram's peer. Batches are allocated once per
 * reader and writer and circulate between them and the state thread, so no queue item is allocated per
 * packet. The thread holding the batch owns its buffers.
 */
final class PacketBatch {
    final PooledBuffer[] buffers;
    final ByteBuffer[] bytes;
    final InetSocketAddress[] peers;
    int count;
    /** Slots before this one were sent already (an outbound batch a direct send left partly unsent). */
    int first;
    /** How often the batch was emptied ({@link #releaseAll}): tells a writer a refilled batch from the one it sent. */
    long emptied;

    PacketBatch(int capacity) {
        buffers = new PooledBuffer[capacity];
        bytes = new ByteBuffer[capacity];
        peers = new InetSocketAddress[capacity];
    }

    int capacity() {
        return buffers.length;
    }

    /** Takes slot {@code i}'s buffer out of the batch (the caller now owns it). */
    PooledBuffer take(int i) {
        PooledBuffer buffer = buffers[i];
        buffers[i] = null;
        bytes[i] = null;
        peers[i] = null;
        return buffer;
    }

    /** Appends an owned buffer; the caller checks {@link #isFull()} first. */
    void add(PooledBuffer buffer, InetSocketAddress peer) {
        buffers[count] = buffer;
        bytes[count] = buffer.buffer();
        peers[count] = peer;
        count++;
    }

    boolean isFull() {
        return count == buffers.length;
    }

    /** Releases every buffer still in the batch to its pool; returns how many. */
    int releaseAll() {
        int released = 0;
        for (int i = 0; i < buffers.length; i++) {
            PooledBuffer buffer = take(i);
            if (buffer != null) {
                buffer.pool().release(buffer);
                released++;
            }
        }
        count = 0;
        first = 0;
        emptied++;
        return released;
    }

    /** Releases the buffers of slots {@code [0, end)} (sent already) and marks the batch as starting at {@code end}. */
    void releaseSent(int end) {
        for (int i = first; i < end; i++) {
            PooledBuffer buffer = take(i);
            buffer.pool().release(buffer);
        }
        first = end;
    }

    /**
     * Puts a buffer from {@code pool} in every empty slot, stopping when the pool is empty.
     *
     * @return how many leading slots hold a buffer
     */
    int topUp(BufferPool pool) {
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] == null) {
                PooledBuffer buffer = pool.acquire();
                if (buffer == null) {
                    return i;
                }
                buffers[i] = buffer;
                bytes[i] = buffer.buffer();
            }
        }
        return buffers.length;
    }
}
