package zonegate.wireguard.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A bounded FIFO of plaintext packets waiting for a session. Slots keep their arrays between uses,
 * so a warm queue does not allocate. Overflow is refused (the caller counts the drop).
 */
public final class PacketQueue {
    private final byte[][] slots;
    private final int[] lengths;
    private int head;
    private int size;

    /** A queue of at most {@code capacity} packets. */
    public PacketQueue(int capacity) {
        this.slots = new byte[capacity][];
        this.lengths = new int[capacity];
    }

    /** Copies {@code src}'s remaining bytes (without consuming them); false if full. */
    public boolean offer(ByteBuffer src) {
        if (size == slots.length) {
            return false;
        }
        int i = (head + size) % slots.length;
        int len = src.remaining();
        if (slots[i] == null || slots[i].length < len) {
            slots[i] = new byte[Math.max(len, 256)];
        }
        src.get(src.position(), slots[i], 0, len);
        lengths[i] = len;
        size++;
        return true;
    }

    /** The oldest packet as a buffer over the slot (valid until the next offer), or null. */
    public ByteBuffer peek() {
        return size == 0 ? null : ByteBuffer.wrap(slots[head], 0, lengths[head]);
    }

    /** Removes the oldest packet, wiping its bytes. */
    public void remove() {
        if (size > 0) {
            Arrays.fill(slots[head], 0, lengths[head], (byte) 0);
            head = (head + 1) % slots.length;
            size--;
        }
    }

    /** Drops everything; returns how many packets were dropped. */
    public int clear() {
        int dropped = size;
        while (size > 0) {
            remove();
        }
        return dropped;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }
}
