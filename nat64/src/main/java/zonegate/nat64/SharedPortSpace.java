package zonegate.nat64;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import zonegate.nat64.internal.FlowTable;
import zonegate.nat64.internal.LongKeyIndex;
import zonegate.packet.FragmentPosition;
import zonegate.packet.Icmpv4View;
import zonegate.packet.Icmpv6View;
import zonegate.packet.IpPacket;

/**
 * The outbound port allocator and reverse index that every client's {@link DnsNatTable} of one gateway
 * shares. Each flow's outside 5-tuple (protocol, local address and port or echo id, remote address and
 * port) is registered here, unique across all clients, so a reply from a resource is routed to the one
 * client whose flow it answers, even when all clients leave through the gateway's single address.
 *
 * <p>Port choice: the client's own source port (or echo id) is kept when that outside 5-tuple is free
 * (port preservation, RFC 4787 REQ-3 style); otherwise up to {@value #PORT_ATTEMPTS} random ports from
 * 1024-65535 (any id for ICMP) are tried, and the flow is refused with
 * {@link DropReason#PORT_SPACE_EXHAUSTED} when none is free or the index holds {@code capacity} flows.
 *
 * <p>Fair shares: every table {@linkplain #addTable added} to the space holds a reservation of
 * {@code reservedPerTable} flows that no other table can take, and no table holds more than
 * {@code maxPerTable}. A table below its reservation may take any free slot; above it, only slots not
 * held in reserve for the others; beyond either limit a new flow is refused with
 * {@link DropReason#CLIENT_SHARE_EXHAUSTED}. While {@code tables x reservedPerTable <= capacity}, every
 * table can always open its reserved flows, however greedy the others are. A table that claims without
 * having been added is added then.
 *
 * <pre>{@code
 * SharedPortSpace ports = new SharedPortSpace(262_144, 64, 16_384, new SplittableRandom(seed));
 * DnsNatTable alice = new DnsNatTable("alice", config, ports, new SplittableRandom(seed + 1));
 * ports.addTable(alice);
 * ...
 * int n = ports.translateInbound(packetFromResource, alice, nowNs, out, 0, out.capacity());
 * }</pre>
 *
 * <p>Not thread-safe: the gateway's state-machine thread owns it and all its tables.
 */
public final class SharedPortSpace {
    static final int PORT_ATTEMPTS = 64;
    private static final int FIRST_DYNAMIC_PORT = 1024;
    /** Slots allocated at first; they double as flows need them, up to the capacity. */
    static final int INITIAL_SLOTS = 1024;

    private final int capacity;
    private final int reservedPerTable;
    private final int maxPerTable;
    private final Map<DnsNatTable, Share> shares = new IdentityHashMap<>();
    /** The sum over tables of what they have not used of their reservation: free slots no other table may take. */
    private long reservedUnused;
    private final LongKeyIndex index;
    private DnsNatTable[] owner;
    private int[] ownerFlow;
    /** Free slots among the {@code owner.length} allocated, the lowest on top. */
    private int[] free;
    private int freeCount;
    private final RandomGenerator random;
    private final long[] key = new long[5];
    private final long[] drops = new long[DropReason.values().length];
    private DnsNatTable lastTable;
    private boolean lastWasError;
    private int claimedPort;

    /** A space without reservations, where one table may take every flow. */
    public SharedPortSpace(int capacity, RandomGenerator random) {
        this(capacity, 0, capacity, random);
    }

    /**
     * @param capacity         outside flows held at most, across all tables (its slots are allocated as flows
     *                         need them: {@value #INITIAL_SLOTS} at first, doubling up to this)
     * @param reservedPerTable flows each added table is guaranteed (0 to {@code maxPerTable})
     * @param maxPerTable      flows one table holds at most (1 to {@code capacity})
     * @param random           seeded source of alternative ports and of the index's hash seed
     */
    public SharedPortSpace(int capacity, int reservedPerTable, int maxPerTable, RandomGenerator random) {
        if (capacity < 1 || maxPerTable < 1 || maxPerTable > capacity || reservedPerTable < 0
                || reservedPerTable > maxPerTable) {
            throw new IllegalArgumentException("need 0 <= reservedPerTable <= maxPerTable <= capacity, 1 <= capacity: "
                    + reservedPerTable + ", " + maxPerTable + ", " + capacity);
        }
        this.capacity = capacity;
        this.reservedPerTable = reservedPerTable;
        this.maxPerTable = maxPerTable;
        this.random = random;
        int slots = Math.min(capacity, INITIAL_SLOTS);
        this.index = new LongKeyIndex(5, slots, random.nextLong());
        this.owner = new DnsNatTable[0];
        this.ownerFlow = new int[0];
        this.free = new int[0];
        growTo(slots);
    }

    /**
     * Finds the client table a packet from a resource belongs to (through the quoted packet for an ICMP
     * error) and has it translate the packet for its client.
     *
     * @return the length written at {@code outOffset}, or a negative {@link DropReason#code()}
     */
    public int translateInbound(IpPacket fromResource, long nowNs, ByteBuffer out, int outOffset, int capacityBytes) {
        return translateInbound(fromResource, null, nowNs, out, outOffset, capacityBytes);
    }

    /**
     * Like {@link #translateInbound(IpPacket, long, ByteBuffer, int, int)}, but only for a flow of
     * {@code expected} (the table of the client the packet is addressed to; null for any): a packet of
     * another table's flow is {@link DropReason#NO_FLOW} and leaves {@link #lastTable()} null.
     */
    public int translateInbound(IpPacket fromResource, DnsNatTable expected, long nowNs, ByteBuffer out, int outOffset,
                                int capacityBytes) {
        lastTable = null;
        int handle = lookup(fromResource);
        if (handle >= 0 && expected != null && owner[handle] != expected) {
            handle = DropReason.NO_FLOW.code();
        }
        if (handle < 0) {
            drops[~handle]++;
            return handle;
        }
        lastTable = owner[handle];
        return lastTable.inbound(ownerFlow[handle], fromResource, lastWasError, nowNs, out, outOffset, capacityBytes);
    }

    /** Gives {@code table} its reservation (see the class comment); harmless if it has one. */
    public void addTable(DnsNatTable table) {
        share(table);
    }

    /**
     * Returns {@code table}'s reservation to the common pool (when its client is removed, after its flows
     * ended). Flows it still holds stay registered until released.
     */
    public void removeTable(DnsNatTable table) {
        Share share = shares.remove(table);
        if (share != null) {
            reservedUnused -= Math.max(0, reservedPerTable - share.flows);
        }
    }

    /** Flows {@code table} holds here now. */
    public int flowsOf(DnsNatTable table) {
        Share share = shares.get(table);
        return share == null ? 0 : share.flows;
    }

    /** The table of the last {@link #translateInbound} that found a flow (even if it then dropped), or null. */
    public DnsNatTable lastTable() {
        return lastTable;
    }

    /** Outside flows registered now. */
    public int size() {
        return owner.length - freeCount;
    }

    public int capacity() {
        return capacity;
    }

    /** Inbound packets this space dropped before reaching a table, or flows it refused, for {@code reason}. */
    public long dropCount(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** The handle of the flow a resource's packet belongs to, or a negative drop code; sets lastWasError. */
    int lookup(IpPacket p) {
        if (p.fragment() != FragmentPosition.NONE) {
            return DropReason.FRAGMENT.code();
        }
        Icmpv4View icmp4 = p.icmpv4();
        Icmpv6View icmp6 = p.icmpv6();
        lastWasError = icmp4 != null ? icmp4.isError() : icmp6 != null && icmp6.isError();
        if (lastWasError) {
            IpPacket q = p.quoted();
            if (q == null) {
                return DropReason.QUOTED_PACKET_INVALID.code();
            }
            // An error goes to the source of the packet it quotes; one sent elsewhere is about another's flow.
            if (q.version() != p.version() || sourceHigh(q) != destinationHigh(p)
                    || sourceLow(q) != destinationLow(p)) {
                return DropReason.NO_FLOW.code();
            }
            int flowProtocol = flowProtocol(q, true);
            int localPort = flowProtocol == FlowTable.ECHO ? echoId(q) : q.sourcePort();
            int remotePort = flowProtocol == FlowTable.ECHO ? 0 : q.destinationPort();
            if (flowProtocol < 0 || localPort < 0 || remotePort < 0) {
                return DropReason.QUOTED_PACKET_INVALID.code();
            }
            fillKey(flowProtocol, sourceHigh(q), sourceLow(q), localPort, destinationHigh(q), destinationLow(q),
                    remotePort);
        } else {
            int flowProtocol = flowProtocol(p, false);
            if (flowProtocol < 0) {
                return DropReason.UNSUPPORTED_PROTOCOL.code();
            }
            boolean echo = flowProtocol == FlowTable.ECHO;
            fillKey(flowProtocol, destinationHigh(p), destinationLow(p), echo ? echoId(p) : p.destinationPort(),
                    sourceHigh(p), sourceLow(p), echo ? 0 : p.sourcePort());
        }
        int handle = index.find(key);
        return handle < 0 ? DropReason.NO_FLOW.code() : handle;
    }

    DnsNatTable owner(int handle) {
        return owner[handle];
    }

    int ownerFlow(int handle) {
        return ownerFlow[handle];
    }

    boolean lastWasError() {
        return lastWasError;
    }

    /**
     * Registers an outside flow, keeping {@code preferredPort} if free. Returns the handle (the port is
     * then {@link #claimedPort()}) or a negative drop code.
     */
    int claim(int flowProtocol, long localHigh, long localLow, int preferredPort, long remoteHigh, long remoteLow,
              int remotePort, DnsNatTable table, int flow) {
        int available = capacity - size();
        if (available == 0) {
            drops[DropReason.PORT_SPACE_EXHAUSTED.ordinal()]++;
            return DropReason.PORT_SPACE_EXHAUSTED.code();
        }
        Share share = share(table);
        boolean reserved = share.flows < reservedPerTable;
        if (share.flows >= maxPerTable || !reserved && available <= reservedUnused) {
            drops[DropReason.CLIENT_SHARE_EXHAUSTED.ordinal()]++;
            return DropReason.CLIENT_SHARE_EXHAUSTED.code();
        }
        int port = preferredPort;
        for (int attempt = 0; ; attempt++) {
            fillKey(flowProtocol, localHigh, localLow, port, remoteHigh, remoteLow, remotePort);
            if (index.find(key) < 0) {
                break;
            }
            if (attempt == PORT_ATTEMPTS) {
                drops[DropReason.PORT_SPACE_EXHAUSTED.ordinal()]++;
                return DropReason.PORT_SPACE_EXHAUSTED.code();
            }
            port = flowProtocol == FlowTable.ECHO ? random.nextInt(65536) : random.nextInt(FIRST_DYNAMIC_PORT, 65536);
        }
        if (freeCount == 0) {
            growTo((int) Math.min(capacity, 2L * owner.length));
        }
        int handle = free[--freeCount];
        index.put(key, handle);
        owner[handle] = table;
        ownerFlow[handle] = flow;
        claimedPort = port;
        share.flows++;
        if (reserved) {
            reservedUnused--;
        }
        return handle;
    }

    /** Allocates slots up to {@code slots} in all; the new ones go on the free list, the lowest on top. */
    private void growTo(int slots) {
        int old = owner.length;
        index.grow(slots);
        owner = Arrays.copyOf(owner, slots);
        ownerFlow = Arrays.copyOf(ownerFlow, slots);
        free = Arrays.copyOf(free, slots);
        for (int handle = slots - 1; handle >= old; handle--) {
            free[freeCount++] = handle;
        }
    }

    int claimedPort() {
        return claimedPort;
    }

    void release(int handle) {
        Share share = shares.get(owner[handle]);
        if (share != null && --share.flows < reservedPerTable) {
            reservedUnused++;
        }
        index.remove(handle);
        owner[handle] = null;
        free[freeCount++] = handle;
    }

    /** TCP, UDP, or {@link FlowTable#ECHO} for an echo request ({@code request}) or reply; -1 otherwise. */
    static int flowProtocol(IpPacket p, boolean request) {
        if (p.tcp() != null || p.udp() != null) {
            return p.protocol();
        }
        Icmpv4View icmp4 = p.icmpv4();
        if (icmp4 != null && (request ? icmp4.isEchoRequest() : icmp4.isEchoReply())) {
            return FlowTable.ECHO;
        }
        Icmpv6View icmp6 = p.icmpv6();
        if (icmp6 != null && (request ? icmp6.isEchoRequest() : icmp6.isEchoReply())) {
            return FlowTable.ECHO;
        }
        return -1;
    }

    static int echoId(IpPacket p) {
        return p.icmpv4() != null ? p.icmpv4().identifier() : p.icmpv6().identifier();
    }

    static long sourceHigh(IpPacket p) {
        return p.version() == 4 ? 0 : p.ipv6().sourceHigh();
    }

    static long sourceLow(IpPacket p) {
        return p.version() == 4 ? mapped(p.ipv4().source()) : p.ipv6().sourceLow();
    }

    static long destinationHigh(IpPacket p) {
        return p.version() == 4 ? 0 : p.ipv6().destinationHigh();
    }

    static long destinationLow(IpPacket p) {
        return p.version() == 4 ? mapped(p.ipv4().destination()) : p.ipv6().destinationLow();
    }

    /** An IPv4 address in the NAT's 128-bit form, {@code ::ffff:a.b.c.d} (the high half is 0). */
    static long mapped(int ipv4) {
        return 0xFFFF_0000_0000L | ipv4 & 0xFFFF_FFFFL;
    }

    private void fillKey(int flowProtocol, long localHigh, long localLow, int localPort, long remoteHigh,
                         long remoteLow, int remotePort) {
        key[0] = (long) flowProtocol << 32 | (long) localPort << 16 | remotePort;
        key[1] = localHigh;
        key[2] = localLow;
        key[3] = remoteHigh;
        key[4] = remoteLow;
    }

    private Share share(DnsNatTable table) {
        Share share = shares.get(table);
        if (share == null) {
            share = new Share();
            shares.put(table, share);
            reservedUnused += reservedPerTable;
        }
        return share;
    }

    /** One table's use of the space. */
    private static final class Share {
        int flows;
    }
}
