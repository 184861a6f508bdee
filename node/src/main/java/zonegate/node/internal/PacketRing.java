package zonegate.node.internal;

import java.nio.ByteBuffer;

/**
 * A bounded ring of copied packets: offering beyond the capacity drops the oldest. Slots are allocated
 * on first use and reused afterwards, so a connection that never buffers costs nothing.
 */
public final class PacketRing {
    private final byte[][] slots;
    private final int[] lengths;
    private final int slotBytes;
    private int head;
    private int size;

    /** A ring of {@code capacity} packets of at most {@code slotBytes} each. */
    public PacketRing(int capacity, int slotBytes) {
        this.slots = new byte[capacity][];
        this.lengths = new int[capacity];
        this.slotBytes = slotBytes;
    }

    /**
     * Copies {@code packet}'s remaining bytes in (consuming them).
     *
     * @return whether the oldest packet was dropped to make room (or the packet itself, when it is too big
     *     or the capacity is 0)
     */
    public boolean offer(ByteBuffer packet) {
        int length = packet.remaining();
        if (slots.length == 0 || length > slotBytes) {
            packet.position(packet.limit());
            return true;
        }
        boolean dropped = size == slots.length;
        if (dropped) {
            head = (head + 1) % slots.length;
            size--;
        }
        int tail = (head + size) % slots.length;
        if (slots[tail] == null) {
            slots[tail] = new byte[slotBytes];
        }
        packet.get(slots[tail], 0, length);
        lengths[tail] = length;
        size++;
        return dropped;
    }

    /** Packets held. */
    public int size() {
        return size;
    }

    /** Removes the oldest packet and returns a view of it (valid until the next offer), or null when empty. */
    public ByteBuffer poll() {
        if (size == 0) {
            return null;
        }
        ByteBuffer view = ByteBuffer.wrap(slots[head], 0, lengths[head]);
        head = (head + 1) % slots.length;
        size--;
        return view;
    }

    /** Drops everything held. */
    public void clear() {
        size = 0;
        head = 0;
    }
}
