package zonegate.packet.gso;

import java.nio.ByteBuffer;
import java.util.Arrays;
import zonegate.packet.IpProtocol;
import zonegate.packet.internal.Bytes;

/**
 * Joins the TCP segments of up to {@link #flows()} flows within one batch of packets bound for a TUN
 * device, each into its own open super-packet ({@link TcpCoalescer}), even when packets of other flows
 * come between them, as wireguard-go's per-batch GRO table does; with UDP coalescing on for an IP version
 * (the device took USO for it), the UDP datagrams of a flow the same way ({@link UdpCoalescer}). Sans-IO:
 * the frames to write (virtio header, then the packet) go to a {@link Sink} the caller supplies.
 *
 * <p>Order: a flow's packets are written in their batch order. A packet of a flow that cannot join the
 * flow's open super-packet (a pure ACK, a FIN, a sequence gap, other headers, another datagram size, a
 * full super-packet) is written only after that super-packet; a super-packet ends when a segment with
 * PSH or a smaller payload joins it. Packets of other flows may be written before or after. A packet that
 * is not coalesced (not TCP, nor UDP with UDP coalescing on) goes out at once, so those keep their order to
 * each other; one that might carry TCP or coalesced UDP where its ports cannot be read (an IPv4 fragment,
 * IPv6 extension headers) first has every open super-packet between the same addresses written.
 *
 * <p>ACK thinning (a constructor option): a TCP ACK that a later ACK of its flow in the same batch
 * supersedes (it acknowledges as much or more, reports every SACK block the earlier one does not
 * acknowledge, and tells something new) is not written but reported to {@link Sink#onSuperseded}; the
 * exact rule, and what never takes part, is at {@code thinAcks}. The ACKs it keeps keep their order.
 *
 * <p>Bounds: {@code flows} open super-packets, each in its own buffer of {@link #BUFFER_BYTES}, plus one
 * for packets written alone, allocated at construction ({@link #memoryBytes()}); a segment of a further
 * flow has the oldest super-packet written to make room. Each super-packet holds at most
 * {@code maxPackets} packets. No allocation per packet.
 *
 * <p>Usage, per batch (one instance per writer thread):
 *
 * <pre>{@code
 * int end = coalescer.writeBatch(packets, 0, count, false);   // frames go to the sink
 * // end < count: the sink refused a frame (EAGAIN); later, writeBatch(packets, end, count, true) goes on
 * }</pre>
 *
 * <p>When the sink refuses a frame, the frames written until then are final and the open super-packets
 * are forgotten; the packets no written frame held are coalesced again at the next call. Because each
 * flow's frames go out in its order, those are, per flow, the flow's later packets, so a refusal breaks
 * no flow's order either.
 */
public final class FlowCoalescer {
    /** A super-packet's buffer: the virtio header and an IP packet of up to 64 KiB. */
    public static final int BUFFER_BYTES = VirtioNetHeader.BYTES + TcpCoalescer.MAX_PACKET_BYTES;

    /** Where frames go. */
    public interface Sink {
        /**
         * Writes {@code frame[position, limit)}: a virtio header and one IP packet, made of the packets at
         * the indices {@code ids[0, count)} of the batch (in that order). Both are the coalescer's; read
         * them during the call only.
         *
         * @return false when the frame was not taken and the batch must stop (EAGAIN); true when it was
         *         written or refused for good (an error the sink counts)
         */
        boolean write(ByteBuffer frame, int[] ids, int count);

        /** Reports that the packet at index {@code id} is longer than {@link TcpCoalescer#MAX_PACKET_BYTES} (skipped). */
        void onTooLong(int id);

        /**
         * Reports that the packet at index {@code id} is a TCP ACK that a later ACK of its flow in the same batch
         * supersedes, so it is not written (with ACK thinning on; see the class comment).
         */
        void onSuperseded(int id);
    }

    private static final int ALONE = 0;
    private static final int TCP_SEGMENT = 1;
    private static final int UDP_DATAGRAM = 2;
    private static final int UNREADABLE_PORTS = 3;
    private static final int TCP_ACK_ONLY = 0x10;
    private static final int TCP_OPTION_END = 0;
    private static final int TCP_OPTION_NOP = 1;
    private static final int TCP_OPTION_TIMESTAMPS = 8;
    private static final int TCP_TIMESTAMPS_BYTES = 10;
    private static final int TCP_OPTION_SACK = 5;
    private static final int MAX_SACK_BLOCKS = 4;

    private final Sink sink;
    private final int maxPackets;
    private final boolean udp4;
    private final boolean udp6;
    private final Slot[] slots;
    private final TcpCoalescer alone = new TcpCoalescer();
    private final ByteBuffer aloneBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final int[] aloneId = new int[1];
    private final boolean[] written;
    private final boolean thinAcks;
    private final int[] ackFlowPacket;
    private final int[] ackFlowL4;
    private final boolean[] laterAck;
    private final int[] edges = new int[2 * MAX_SACK_BLOCKS];
    private final int[] laterEdges = new int[2 * MAX_SACK_BLOCKS];
    private long begun;
    private int l4Offset;

    /**
     * A coalescer of TCP segments only.
     *
     * @param flows      open super-packets at a time (at least 1; 1 joins only segments with no other TCP
     *                   segment between them)
     * @param maxPackets the most packets one batch holds (the bound of a super-packet's id list)
     */
    public FlowCoalescer(int flows, int maxPackets, Sink sink) {
        this(flows, maxPackets, false, false, sink);
    }

    /**
     * @param flows      open super-packets at a time (at least 1; 1 joins only packets with no other
     *                   coalesced packet between them)
     * @param maxPackets the most packets one batch holds (the bound of a super-packet's id list)
     * @param udp4       whether UDP datagrams over IPv4 are coalesced too (the device took TUN_F_USO4)
     * @param udp6       whether UDP datagrams over IPv6 are coalesced too (TUN_F_USO6)
     */
    public FlowCoalescer(int flows, int maxPackets, boolean udp4, boolean udp6, Sink sink) {
        this(flows, maxPackets, udp4, udp6, false, sink);
    }

    /**
     * @param flows      open super-packets at a time, and flows whose ACKs are thinned per batch (at least 1)
     * @param maxPackets the most packets one batch holds (the bound of a super-packet's id list)
     * @param udp4       whether UDP datagrams over IPv4 are coalesced too (the device took TUN_F_USO4)
     * @param udp6       whether UDP datagrams over IPv6 are coalesced too (TUN_F_USO6)
     * @param thinAcks   whether a TCP ACK that a later ACK of its flow in the batch supersedes is left out
     *                   ({@link Sink#onSuperseded})
     */
    public FlowCoalescer(int flows, int maxPackets, boolean udp4, boolean udp6, boolean thinAcks, Sink sink) {
        if (flows < 1 || maxPackets < 1) {
            throw new IllegalArgumentException("flows and maxPackets must be positive");
        }
        this.sink = sink;
        this.maxPackets = maxPackets;
        this.udp4 = udp4;
        this.udp6 = udp6;
        written = new boolean[maxPackets];
        this.thinAcks = thinAcks;
        ackFlowPacket = new int[flows];
        ackFlowL4 = new int[flows];
        laterAck = new boolean[flows];
        slots = new Slot[flows];
        for (int i = 0; i < flows; i++) {
            slots[i] = new Slot(maxPackets);
        }
    }

    /**
     * Coalesces and writes the packets {@code packets[from, count)} (each from its position to its limit),
     * then the super-packets still open. When the sink refuses a frame, the packets
     * written until then need not be a prefix: they are remembered, and the next call, with {@code resume}
     * and {@code from} the index returned, skips them.
     *
     * @param count  at most {@code maxPackets}
     * @param resume whether this call goes on with the batch of the previous call, which returned
     *               {@code from}; false for a new batch
     * @return the index below which every packet was written: {@code count} when all were
     */
    public int writeBatch(ByteBuffer[] packets, int from, int count, boolean resume) {
        if (count > written.length) {
            throw new IllegalArgumentException(count + " packets, more than maxPackets " + written.length);
        }
        if (!resume) {
            Arrays.fill(written, false);
            if (thinAcks) {
                thinAcks(packets, from, count);
            }
        }
        boolean done = true;
        for (int i = from; i < count && done; i++) {
            if (!written[i]) {
                ByteBuffer packet = packets[i];
                if (packet.remaining() > TcpCoalescer.MAX_PACKET_BYTES) {
                    sink.onTooLong(i);
                    written[i] = true;
                } else {
                    done = add(packet, packet.position(), packet.remaining(), i);
                }
            }
        }
        if (done && flush()) {
            return count;
        }
        clear();
        int end = from;
        while (end < count && written[end]) {
            end++;
        }
        return end;
    }

    /** Open super-packets at a time. */
    public int flows() {
        return slots.length;
    }

    /** Memory this instance holds: {@code (flows + 1) * BUFFER_BYTES} of direct buffers, plus its id lists and marks. */
    public long memoryBytes() {
        return (long) (slots.length + 1) * BUFFER_BYTES + (long) slots.length * maxPackets * Integer.BYTES + maxPackets;
    }

    /**
     * Joins the packet (copied) to its flow's open super-packet, begins one, or writes it after what must
     * precede it; false when the sink refused a frame.
     */
    private boolean add(ByteBuffer packet, int index, int length, int id) {
        int kind = classify(packet, index, length);
        if (kind == ALONE) {
            return writeAlone(packet, index, length, id);
        }
        if (kind == UNREADABLE_PORTS) {
            return flushSameAddresses(packet, index) && writeAlone(packet, index, length, id);
        }
        boolean udp = kind == UDP_DATAGRAM;
        Slot slot = find(packet, index, udp);
        if (slot != null) {
            if (slot.ids < maxPackets && slot.append(packet, index, length)) {
                slot.id[slot.ids++] = id;
                return slot.isOpen() || flush(slot);
            }
            if (!flush(slot)) {
                return false;
            }
        } else {
            slot = free();
            if (slot == null) {
                slot = oldest();
                if (!flush(slot)) {
                    return false;
                }
            }
        }
        if (!slot.begin(udp, packet, index, length)) {
            slot.id[0] = id;
            slot.ids = 1;
            return flush(slot);                           // alone, from the copy begin made
        }
        slot.used = true;
        slot.begun = begun++;
        slot.id[0] = id;
        slot.ids = 1;
        return true;
    }

    /** Writes every open super-packet, oldest first; false when the sink refused a frame. */
    private boolean flush() {
        for (Slot slot = oldest(); slot != null; slot = oldest()) {
            if (!flush(slot)) {
                return false;
            }
        }
        return true;
    }

    private void clear() {
        for (Slot slot : slots) {
            slot.used = false;
            slot.ids = 0;
        }
    }

    /**
     * What the packet is for ordering; for a TCP segment or a coalesced UDP datagram sets {@link #l4Offset}
     * to its transport header.
     */
    private int classify(ByteBuffer packet, int index, int length) {
        if (length < 20) {
            return ALONE;
        }
        int version = (packet.get(index) & 0xFF) >>> 4;
        if (version == 4) {
            int protocol = Bytes.u8(packet, index + 9);
            boolean udp = protocol == IpProtocol.UDP && udp4;
            if (protocol != IpProtocol.TCP && !udp) {
                return ALONE;
            }
            l4Offset = (packet.get(index) & 0x0F) * 4;
            boolean fragment = (Bytes.u16(packet, index + 6) & 0x3FFF) != 0;
            int l4Min = udp ? 8 : 20;
            return fragment || l4Offset < 20 || l4Offset + l4Min > length ? UNREADABLE_PORTS
                    : udp ? UDP_DATAGRAM : TCP_SEGMENT;
        }
        if (version != 6 || length < 40) {
            return ALONE;
        }
        int next = Bytes.u8(packet, index + 6);
        if (next == IpProtocol.TCP) {
            l4Offset = 40;
            return length >= 60 ? TCP_SEGMENT : UNREADABLE_PORTS;
        }
        if (next == IpProtocol.UDP && udp6) {
            l4Offset = 40;
            return length >= 48 ? UDP_DATAGRAM : UNREADABLE_PORTS;
        }
        return switch (next) {
            // The extension headers of RFC 8200 4.1 and IANA's list: ESP (50), Mobility (135), HIP (139), Shim6 (140).
            case IpProtocol.HOP_BY_HOP, IpProtocol.ROUTING, IpProtocol.FRAGMENT, 50, IpProtocol.AUTHENTICATION,
                 IpProtocol.DESTINATION_OPTIONS, 135, 139, 140 -> UNREADABLE_PORTS;
            default -> ALONE;
        };
    }

    /**
     * Marks written, and reports to the sink, each ACK of {@code packets[from, count)} that a later ACK of its
     * flow in the batch supersedes, with no other packet of the flow between them but ACKs left out the same
     * way: the later one acknowledges as much or more, reports every SACK block of the earlier one that it
     * does not acknowledge, and tells something new (a higher acknowledgement number, or a SACK block the
     * earlier one did not have). It carries the newer window, and the two would have reached the host
     * microseconds apart, so the host's TCP learns the same from the later one alone. Only segments with the
     * ACK flag alone, no payload, and no TCP option but timestamps, one SACK option (of up to four blocks),
     * NOP and end of list are left out or supersede; so an ACK with ECN flags, a FIN, data or another option
     * is always written, and so is every packet before one of those in its flow, and so is a duplicate ACK
     * that tells nothing new, and one with a D-SACK block (RFC 2883). Goes backwards through the batch,
     * keeping per flow the next packet written; a packet whose ports cannot be read (fragments, IPv6
     * extension headers), or a flow more than {@link #flows()}, makes it forget every flow, so it never takes
     * a flow's earlier packet for its next.
     */
    private void thinAcks(ByteBuffer[] packets, int from, int count) {
        int flows = 0;
        for (int i = count - 1; i >= from; i--) {
            ByteBuffer packet = packets[i];
            int index = packet.position();
            int length = packet.remaining();
            int kind = length > TcpCoalescer.MAX_PACKET_BYTES ? UNREADABLE_PORTS : classify(packet, index, length);
            if (kind == UNREADABLE_PORTS) {
                flows = 0;
                continue;
            }
            if (kind != TCP_SEGMENT) {
                continue;
            }
            int l4 = l4Offset;
            int f = 0;
            while (f < flows && !sameFlow(packets[ackFlowPacket[f]], ackFlowL4[f], packet, index)) {
                f++;
            }
            if (f < flows && laterAck[f] && supersedes(packets[ackFlowPacket[f]], ackFlowL4[f], packet, index, length, l4)) {
                written[i] = true;
                sink.onSuperseded(i);
                continue;
            }
            if (f == flows) {
                if (flows == ackFlowPacket.length) {
                    flows = 0;
                    f = 0;
                }
                flows++;
            }
            ackFlowPacket[f] = i;
            ackFlowL4[f] = l4;
            laterAck[f] = sackBlocks(packet, index, length, l4, laterEdges) >= 0;
        }
    }

    /**
     * Whether the ACK {@code later} (its transport header at {@code laterL4}) supersedes the segment at
     * {@code packet[index]} (at {@code l4}) of the same flow, as {@link #thinAcks} says.
     */
    private boolean supersedes(ByteBuffer later, int laterL4, ByteBuffer packet, int index, int length, int l4) {
        int blocks = sackBlocks(packet, index, length, l4, edges);
        int ack = Bytes.i32(packet, index + l4 + 8);
        boolean dsack = blocks > 0 && (edges[1] - ack <= 0                        // the first block below the ACK,
                || blocks > 1 && edges[0] - edges[2] >= 0 && edges[3] - edges[1] >= 0);  // or within the second
        if (blocks < 0 || dsack) {
            return false;
        }
        int laterBlocks = sackBlocks(later, later.position(), later.remaining(), laterL4, laterEdges);
        int laterAckNumber = Bytes.i32(later, later.position() + laterL4 + 8);
        if (laterAckNumber - ack < 0) {
            return false;
        }
        for (int k = 0; k < blocks; k++) {
            if (edges[2 * k + 1] - laterAckNumber > 0 && !contains(laterEdges, laterBlocks, edges[2 * k], edges[2 * k + 1])) {
                return false;
            }
        }
        if (laterAckNumber != ack) {
            return true;
        }
        for (int k = 0; k < laterBlocks; k++) {
            if (!contains(edges, blocks, laterEdges[2 * k], laterEdges[2 * k + 1])) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of the first {@code blocks} SACK blocks in {@code edges} holds [left, right) (sequence numbers mod 2^32). */
    private static boolean contains(int[] edges, int blocks, int left, int right) {
        for (int k = 0; k < blocks; k++) {
            if (left - edges[2 * k] >= 0 && edges[2 * k + 1] - right >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The SACK blocks of the TCP segment at {@code packet[index + l4]}, their edges into {@code out} (left,
     * right, ...), when it has only the ACK flag (and no reserved or AccECN bit), no payload by the IP length,
     * and no option but timestamps, one SACK option, NOP and end of list; else -1.
     */
    private static int sackBlocks(ByteBuffer packet, int index, int length, int l4, int[] out) {
        int tcp = index + l4;
        int dataOffset = (Bytes.u8(packet, tcp + 12) >>> 4) * 4;
        if (Bytes.u8(packet, tcp + 13) != TCP_ACK_ONLY || (Bytes.u8(packet, tcp + 12) & 0x0F) != 0
                || dataOffset < 20 || l4 + dataOffset > length) {
            return -1;
        }
        int ipLength = (packet.get(index) & 0xFF) >>> 4 == 4 ? Bytes.u16(packet, index + 2) : 40 + Bytes.u16(packet, index + 4);
        if (ipLength != l4 + dataOffset) {
            return -1;
        }
        int blocks = 0;
        boolean sack = false;
        int end = tcp + dataOffset;
        for (int o = tcp + 20; o < end; ) {
            int option = Bytes.u8(packet, o);
            if (option == TCP_OPTION_END) {
                break;
            }
            if (option == TCP_OPTION_NOP) {
                o++;
                continue;
            }
            int optionLength = o + 1 < end ? Bytes.u8(packet, o + 1) : 0;
            if (option == TCP_OPTION_TIMESTAMPS && optionLength == TCP_TIMESTAMPS_BYTES && o + optionLength <= end) {
                o += optionLength;
            } else if (option == TCP_OPTION_SACK && !sack && optionLength >= 10 && (optionLength - 2) % 8 == 0
                    && optionLength <= 2 + 8 * MAX_SACK_BLOCKS && o + optionLength <= end) {
                sack = true;
                for (int e = o + 2; e < o + optionLength; e += 8) {
                    out[2 * blocks] = Bytes.i32(packet, e);
                    out[2 * blocks + 1] = Bytes.i32(packet, e + 4);
                    blocks++;
                }
                o += optionLength;
            } else {
                return -1;
            }
        }
        return blocks;
    }

    /** Whether two TCP segments (transport headers at {@code l4} and at {@link #l4Offset}) are of one flow. */
    private boolean sameFlow(ByteBuffer a, int l4, ByteBuffer b, int index) {
        int ai = a.position();
        int version = (b.get(index) & 0xFF) >>> 4;
        return (a.get(ai) & 0xFF) >>> 4 == version && sameAddresses(a, ai, version, b, index)
                && Bytes.i32(a, ai + l4) == Bytes.i32(b, index + l4Offset);
    }

    /** The open super-packet of the packet's flow (protocol, addresses and ports), or null. */
    private Slot find(ByteBuffer packet, int index, boolean udp) {
        int version = (packet.get(index) & 0xFF) >>> 4;
        int ports = Bytes.i32(packet, index + l4Offset);
        for (Slot slot : slots) {
            if (slot.used && slot.udp == udp && sameAddresses(slot, version, packet, index)
                    && Bytes.i32(slot.buffer, VirtioNetHeader.BYTES + (version == 4 ? 20 : 40)) == ports) {
                return slot;
            }
        }
        return null;
    }

    private boolean flushSameAddresses(ByteBuffer packet, int index) {
        int version = (packet.get(index) & 0xFF) >>> 4;
        for (Slot slot : slots) {
            if (slot.used && sameAddresses(slot, version, packet, index) && !flush(slot)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameAddresses(Slot slot, int version, ByteBuffer packet, int index) {
        ByteBuffer b = slot.buffer;
        int ip = VirtioNetHeader.BYTES;
        return (b.get(ip) & 0xFF) >>> 4 == version && sameAddresses(b, ip, version, packet, index);
    }

    /** Whether the IP packets at {@code a[ai]} and {@code b[bi]}, both of {@code version}, have the same addresses. */
    private static boolean sameAddresses(ByteBuffer a, int ai, int version, ByteBuffer b, int bi) {
        if (version == 4) {
            return Bytes.i64(a, ai + 12) == Bytes.i64(b, bi + 12);
        }
        return Bytes.i64(a, ai + 8) == Bytes.i64(b, bi + 8) && Bytes.i64(a, ai + 16) == Bytes.i64(b, bi + 16)
                && Bytes.i64(a, ai + 24) == Bytes.i64(b, bi + 24) && Bytes.i64(a, ai + 32) == Bytes.i64(b, bi + 32);
    }

    private Slot free() {
        for (Slot slot : slots) {
            if (!slot.used) {
                return slot;
            }
        }
        return null;
    }

    private Slot oldest() {
        Slot oldest = null;
        for (Slot slot : slots) {
            if (slot.used && (oldest == null || slot.begun < oldest.begun)) {
                oldest = slot;
            }
        }
        return oldest;
    }

    private boolean flush(Slot slot) {
        slot.buffer.limit(slot.finish()).position(0);
        if (!sink.write(slot.buffer, slot.id, slot.ids)) {
            return false;
        }
        markWritten(slot.id, slot.ids);
        slot.used = false;
        slot.ids = 0;
        return true;
    }

    private boolean writeAlone(ByteBuffer packet, int index, int length, int id) {
        alone.begin(aloneBuffer, 0, packet, index, length);
        aloneBuffer.limit(alone.finish()).position(0);
        aloneId[0] = id;
        if (!sink.write(aloneBuffer, aloneId, 1)) {
            return false;
        }
        markWritten(aloneId, 1);
        return true;
    }

    private void markWritten(int[] ids, int count) {
        for (int k = 0; k < count; k++) {
            written[ids[k]] = true;
        }
    }

    /** One open super-packet: its buffer, its coalescer (TCP or UDP) and the ids of the packets in it. */
    private static final class Slot {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        final TcpCoalescer tcpCoalescer = new TcpCoalescer();
        final UdpCoalescer udpCoalescer = new UdpCoalescer();
        final int[] id;
        int ids;
        boolean used;
        boolean udp;
        long begun;

        Slot(int maxPackets) {
            id = new int[maxPackets];
        }

        boolean begin(boolean udpDatagram, ByteBuffer packet, int index, int length) {
            udp = udpDatagram;
            return udp ? udpCoalescer.begin(buffer, 0, packet, index, length)
                    : tcpCoalescer.begin(buffer, 0, packet, index, length);
        }

        boolean append(ByteBuffer packet, int index, int length) {
            return udp ? udpCoalescer.append(packet, index, length) : tcpCoalescer.append(packet, index, length);
        }

        boolean isOpen() {
            return udp ? udpCoalescer.isOpen() : tcpCoalescer.isOpen();
        }

        int finish() {
            return udp ? udpCoalescer.finish() : tcpCoalescer.finish();
        }
    }
}
