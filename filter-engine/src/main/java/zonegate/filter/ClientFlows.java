package zonegate.filter;

import zonegate.filter.internal.AuthorizationSet;
import zonegate.filter.internal.FlowKeys;
import zonegate.filter.internal.FlowTable;
import zonegate.filter.internal.Snapshot;
import zonegate.packet.FragmentPosition;
import zonegate.packet.IpPacket;

/**
 * The flows a client opened, seen from the other end: which packets sent to the client they admit
 * (replies, ICMP errors about them) and which of the client's own ICMP errors they explain. Works on
 * the {@link ClientFilter}'s flow table, whose slots a decision fills for every allowed packet; slots
 * without a resource are the gateway's own services and admitted fragments. No allocation.
 */
final class ClientFlows {
    /** How long a reply's first fragment lets the rest of its fragments in (Linux's IPv6 reassembly timeout). */
    static final long FRAGMENTS_ADMITTED_SECONDS = 60;

    private final FlowTable flows;
    private final AuthorizationSet authorizations;
    private final FilterEngine engine;

    ClientFlows(FlowTable flows, AuthorizationSet authorizations, FilterEngine engine) {
        this.flows = flows;
        this.authorizations = authorizations;
        this.engine = engine;
    }

    /** See {@link ClientFilter#admitsInbound}. */
    boolean admitsInbound(IpPacket packet, TunnelAddresses client, long nowNs) {
        if (!isOwnDestination(packet, client)) {
            return false;
        }
        if (FlowKeys.isIcmpError(packet)) {
            IpPacket q = packet.quoted();
            if (q == null || q.version() != packet.version() || !isOwnSource(q, client)) {
                return false;
            }
            int slot = flows.find(FlowKeys.outbound(q), FlowKeys.destinationHigh(q), FlowKeys.destinationLow(q),
                    nowNs);
            return slot >= 0 && routeHolds(slot, q.protocol(), q.destinationPort(), nowNs);
        }
        if (FlowKeys.isUnansweringIcmp(packet)) {
            return false;
        }
        int protocol = packet.protocol();
        long high = FlowKeys.sourceHigh(packet);
        long low = FlowKeys.sourceLow(packet);
        int slot = flows.find(FlowKeys.reply(packet), high, low, nowNs);
        if (slot < 0 || !routeHolds(slot, protocol, packet.sourcePort(), nowNs)) {
            return false;
        }
        flows.touch(slot, nowNs, engine.flowIdleNs(protocol));
        if (packet.fragment() == FragmentPosition.FIRST) {
            long meta = FlowTable.meta(packet.version(), protocol, -1, -1);
            int fragments = flows.find(meta, high, low, nowNs);
            if (fragments < 0 || flows.resource(fragments) == null) {
                record(fragments, meta, high, low, FRAGMENTS_ADMITTED_SECONDS * 1_000_000_000L, nowNs);
            }
        }
        return true;
    }

    /**
     * The live slot of the flow a client's ICMP error is about, or -1: the quoted packet must have gone
     * from the error's destination to the client's own address, on a flow whose route still holds.
     */
    int quotedBy(IpPacket error, TunnelAddresses client, long nowNs) {
        IpPacket q = error.quoted();
        if (q == null || q.version() != error.version() || !isOwnDestination(q, client)
                || FlowKeys.sourceHigh(q) != FlowKeys.destinationHigh(error)
                || FlowKeys.sourceLow(q) != FlowKeys.destinationLow(error)) {
            return -1;
        }
        int slot = flows.find(FlowKeys.reply(q), FlowKeys.sourceHigh(q), FlowKeys.sourceLow(q), nowNs);
        return slot >= 0 && routeHolds(slot, q.protocol(), q.sourcePort(), nowNs) ? slot : -1;
    }

    /** Records (or refreshes) the flow of a packet the client sends to the gateway's own address. */
    void recordGatewayFlow(IpPacket packet, long nowNs) {
        long meta = FlowKeys.outbound(packet);
        long high = FlowKeys.destinationHigh(packet);
        long low = FlowKeys.destinationLow(packet);
        record(flows.find(meta, high, low, nowNs), meta, high, low, engine.flowIdleNs(packet.protocol()), nowNs);
    }

    /** The slot's entry in {@code snapshot}, re-found by resource id (and remembered) if the snapshot was rebuilt. */
    static int entry(FlowTable flows, int slot, Snapshot snapshot) {
        if (flows.generation(slot) == snapshot.generation()) {
            return flows.entry(slot);
        }
        int entry = snapshot.indexOf(flows.resource(slot));
        flows.remap(slot, snapshot.generation(), entry);
        return entry;
    }

    static boolean isOwnSource(IpPacket p, TunnelAddresses client) {
        return p.version() == 4 ? p.ipv4().source() == client.ipv4()
                : p.ipv6().sourceHigh() == client.ipv6High() && p.ipv6().sourceLow() == client.ipv6Low();
    }

    static boolean isOwnDestination(IpPacket p, TunnelAddresses client) {
        return p.version() == 4 ? p.ipv4().destination() == client.ipv4()
                : p.ipv6().destinationHigh() == client.ipv6High() && p.ipv6().destinationLow() == client.ipv6Low();
    }

    /**
     * Whether a live slot's route still holds for a packet of {@code protocol} to the flow's remote
     * {@code destinationPort}: its resource unexpired and permitting it. Slots without a resource always hold.
     */
    private boolean routeHolds(int slot, int protocol, int destinationPort, long nowNs) {
        if (flows.resource(slot) == null) {
            return true;
        }
        Snapshot snapshot = authorizations.snapshot();
        int entry = entry(flows, slot, snapshot);
        return entry >= 0 && !snapshot.isExpired(entry, nowNs) && snapshot.permits(entry, protocol, destinationPort);
    }

    /** Records a flow without a resource at {@code slot} (live, or where {@link FlowTable#find} said to insert). */
    private void record(int slot, long meta, long high, long low, long idleNs, long nowNs) {
        if (slot >= 0) {
            flows.touch(slot, nowNs, idleNs);
        } else {
            flows.put(slot, meta, high, low, null, 0, -1, nowNs, idleNs);
        }
    }
}
