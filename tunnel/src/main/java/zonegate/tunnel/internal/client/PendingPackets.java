package zonegate.tunnel.internal.client;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.tinylog.Logger;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;
import zonegate.packet.PacketParser;
import zonegate.packet.TcpView;

/**
 * IP packets waiting for a connection to one resource (or one gateway), in arrival order. Sans-IO,
 * not thread-safe.
 *
 * <ul>
 *   <li>{@link #offer} copies the packet; the caller keeps its buffer.</li>
 *   <li>Bounded ({@link #DEFAULT_CAPACITY} by default): beyond it the oldest waiting packet is dropped
 *       and counted ({@link #dropped()}), so what is sent once the connection is up is the most recent
 *       traffic.</li>
 *   <li>An exact duplicate of a packet already waiting is not added again (an application retrying
 *       a UDP query or an ICMP echo would otherwise fill the buffer with copies); counted in
 *       {@link #duplicates()}.</li>
 *   <li>A retransmitted TCP SYN (same addresses and ports, SYN without ACK) replaces the one waiting:
 *       it keeps that one's place in the order, with the newest bytes (a retransmission may carry new
 *       options or timestamps).</li>
 *   <li>A packet longer than {@link #MAX_PACKET_BYTES} (no IP packet is) or empty is refused and
 *       counted too.</li>
 * </ul>
 * Slot buffers are allocated on first use and reused, so a warm buffer copies without allocating.
 *
 * <pre>{@code
 * PendingPackets waiting = new PendingPackets(PendingPackets.DEFAULT_CAPACITY);
 * waiting.offer(packetBuffer, offset, length);
 * // ... connection up:
 * waiting.drain(packet -> encryptAndSend(packet));   // the buffer is reused after the call returns
 * }</pre>
 */
public final class PendingPackets {
    /** Packets waiting at most by default. */
    public static final int DEFAULT_CAPACITY = 128;
    /** Largest packet accepted: the IPv4 total-length limit. */
    public static final int MAX_PACKET_BYTES = 65_535;

    private final PacketParser parser = new PacketParser();
    private final FlowKey flow = new FlowKey();
    private final int capacity;
    private final byte[][] data;
    private final ByteBuffer[] views;
    private final int[] lengths;
    private final long[] hashes;
    private final boolean[] syn;
    private final FlowKey[] synFlows;
    private int head;
    private int size;
    private long dropped;
    private long duplicates;
    private boolean draining;

    /** A buffer for {@link #DEFAULT_CAPACITY} packets. */
    public PendingPackets() {
        this(DEFAULT_CAPACITY);
    }

    /** @param capacity packets waiting at most */
    public PendingPackets(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
        data = new byte[capacity][];
        views = new ByteBuffer[capacity];
        lengths = new int[capacity];
        hashes = new long[capacity];
        syn = new boolean[capacity];
        synFlows = new FlowKey[capacity];
    }

    /**
     * Copies the {@code length} bytes at absolute index {@code offset} of {@code packet} (its position
     * and limit are neither used nor changed) into the buffer, by the rules above.
     *
     * @return whether the packet is now waiting (false: a duplicate, or refused for its length)
     * @throws IndexOutOfBoundsException if the region lies outside {@code [0, packet.limit())}
     * @throws IllegalStateException if called from inside {@link #drain}
     */
    public boolean offer(ByteBuffer packet, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, packet.limit());
        if (draining) {
            throw new IllegalStateException("offer during drain");
        }
        if (length == 0 || length > MAX_PACKET_BYTES) {
            dropped++;
            if (Logger.isTraceEnabled()) {
                Logger.trace("pending packet of {} bytes refused", length);
            }
            return false;
        }
        boolean isSyn = readSyn(packet, offset, length);
        long hash = hash(packet, offset, length);
        for (int i = 0; i < size; i++) {
            int slot = slot(i);
            if (isSyn && syn[slot] && sameFlow(synFlows[slot], flow)) {
                store(slot, packet, offset, length, hash, true);
                return true;
            }
            if (!isSyn && hashes[slot] == hash && lengths[slot] == length && sameBytes(slot, packet, offset, length)) {
                duplicates++;
                return false;
            }
        }
        if (size == capacity) {
            head = (head + 1) % capacity;
            size--;
            dropped++;
            if (Logger.isTraceEnabled()) {
                Logger.trace("pending buffer full ({} packets): oldest dropped", capacity);
            }
        }
        store(slot(size), packet, offset, length, hash, isSyn);
        size++;
        return true;
    }

    /**
     * Hands every waiting packet to {@code sink} in order, then empties the buffer. Each buffer spans one
     * packet (position 0, limit its length) and is reused once {@code sink} returns, so copy what must
     * outlive the call. {@code sink} must not offer to this buffer.
     */
    public void drain(Consumer<ByteBuffer> sink) {
        draining = true;
        try {
            for (int i = 0; i < size; i++) {
                int slot = slot(i);
                sink.accept(views[slot].clear().limit(lengths[slot]));
            }
        } finally {
            draining = false;
            head = 0;
            size = 0;
        }
    }

    /** Packets waiting now. */
    public int size() {
        return size;
    }

    /** Packets dropped: pushed out by newer ones, or refused for their length. Duplicates are not counted. */
    public long dropped() {
        return dropped;
    }

    /** Packets not added because an identical one was already waiting. */
    public long duplicates() {
        return duplicates;
    }

    /** Forgets every waiting packet (the counter stays; slot buffers are kept for reuse). */
    public void clear() {
        head = 0;
        size = 0;
    }

    private int slot(int index) {
        return (head + index) % capacity;
    }

    /** Whether the packet is a TCP SYN without ACK; if so its flow is in {@link #flow}. */
    private boolean readSyn(ByteBuffer packet, int offset, int length) {
        IpPacket p = parser.parseOrNull(packet, offset, length);
        if (p == null || p.protocol() != IpProtocol.TCP) {
            return false;
        }
        TcpView tcp = p.tcp();
        if (tcp == null || (tcp.flags() & (TcpView.SYN | TcpView.ACK)) != TcpView.SYN) {
            return false;
        }
        flow.read(p);
        return true;
    }

    private void store(int slot, ByteBuffer packet, int offset, int length, long hash, boolean isSyn) {
        byte[] bytes = data[slot];
        if (bytes == null || bytes.length < length) {
            // Room for a full-MTU packet at least, so a slot rarely grows twice.
            bytes = new byte[Math.max(length, 1_500)];
            data[slot] = bytes;
            views[slot] = ByteBuffer.wrap(bytes);
        }
        packet.get(offset, bytes, 0, length);
        lengths[slot] = length;
        hashes[slot] = hash;
        syn[slot] = isSyn;
        if (isSyn) {
            FlowKey k = synFlows[slot];
            if (k == null) {
                k = new FlowKey();
                synFlows[slot] = k;
            }
            copy(flow, k);
        }
    }

    private boolean sameBytes(int slot, ByteBuffer packet, int offset, int length) {
        if (packet.hasArray()) {
            int from = packet.arrayOffset() + offset;
            return Arrays.equals(data[slot], 0, length, packet.array(), from, from + length);
        }
        byte[] waiting = data[slot];
        for (int i = 0; i < length; i++) {
            if (waiting[i] != packet.get(offset + i)) {
                return false;
            }
        }
        return true;
    }

    private static long hash(ByteBuffer packet, int offset, int length) {
        long h = 0x9E37_79B9_7F4A_7C15L ^ length;
        for (int i = 0; i < length; i++) {
            h = (h ^ (packet.get(offset + i) & 0xFF)) * 0x100_0000_01B3L;
        }
        return Masks.mix(h);
    }

    private static boolean sameFlow(FlowKey a, FlowKey b) {
        return a.version == b.version && a.ports == b.ports && a.sourceHigh == b.sourceHigh
                && a.sourceLow == b.sourceLow && a.destinationHigh == b.destinationHigh
                && a.destinationLow == b.destinationLow;
    }

    private static void copy(FlowKey from, FlowKey to) {
        to.version = from.version;
        to.protocol = from.protocol;
        to.sourceHigh = from.sourceHigh;
        to.sourceLow = from.sourceLow;
        to.destinationHigh = from.destinationHigh;
        to.destinationLow = from.destinationLow;
        to.ports = from.ports;
    }
}
