package zonegate.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tinylog.Logger;
import zonegate.filter.internal.AuthorizationSet;
import zonegate.filter.internal.FlowKeys;
import zonegate.filter.internal.FlowTable;
import zonegate.filter.internal.IntervalIndex;
import zonegate.filter.internal.Routes;
import zonegate.filter.internal.Snapshot;
import zonegate.packet.IpPacket;

/**
 * One client's routing table and authorisations, inside a {@link FilterEngine}: decides, per packet,
 * which resource the packet goes through, or why it is denied.
 *
 * <h2>Routing tie-break</h2>
 * Among the unexpired resources containing the destination (by address: CIDR and Internet; by domain:
 * DNS), in this order:
 * <ol>
 *   <li>the resource the packet's flow already goes through, if it still permits the packet (a flow
 *       keeps its route when an overlapping resource is added);</li>
 *   <li>resources whose filters permit the packet, before those whose filters do not;</li>
 *   <li>for domains, the more specific pattern ({@link DnsPattern#SPECIFICITY}: exact, then {@code ?},
 *       then {@code *.}, then {@code **.}; then more literal labels; then more literal characters);</li>
 *   <li>for addresses, the longer prefix (the Internet resource counts as a /0);</li>
 *   <li>the smaller {@link ResourceId} (lexicographic).</li>
 * </ol>
 * If some resource contains the destination but none permits the packet, the denial names the first
 * one by rules 3-5 ({@link Verdict#FILTERED}); if none contains it, {@link Verdict#NO_RESOURCE}.
 *
 * <h2>Cost</h2>
 * A packet of an established flow (its route remembered, the table unchanged since) costs a flow-table
 * probe of 4 slots and one filter check. Any other packet adds a branch-free binary search over the
 * client's disjoint address intervals (about twice the number of CIDR resources; for IPv4, only over
 * those of the destination's address block, found through a radix table) and a walk of the few
 * candidates of its interval. No allocation either way. The table is an immutable snapshot rebuilt on every change (O(n log n)), so changes
 * are for the control plane's pace, not the packet rate.
 *
 * <pre>{@code
 * ClientFilter client = engine.upsertClient(ClientId.of("c1"), TunnelAddresses.of("100.64.0.7", "fd00:2021:1111::7"), nowNs);
 * client.replaceAll(List.of(Authorization.permanent(
 *         new Resource.CidrRange(ResourceId.of("office"), Cidr.parse("10.20.0.0/16")), List.of(new Filter.Tcp(443, 443)))), nowNs);
 * Decision decision = new Decision();                       // reused for every packet
 * if (!client.decide(packet, nowNs, decision).isAllowed()) {
 *     Logger.trace("cid={} dropped: {}", client.id(), decision.reason());
 *     IcmpError error = decision.icmpError();               // null for spoofed packets
 * }
 * }</pre>
 *
 * <p>Not thread-safe: the gateway's state-machine thread is the only caller. Times ({@code nowNs}) are
 * monotonic nanoseconds and never go backwards.
 */
public final class ClientFilter {
    private final FilterEngine engine;
    private final ClientId id;
    private final AuthorizationSet authorizations;
    private final FlowTable flows;
    private final ClientFlows replies;
    private TunnelAddresses addresses;
    private long nextExpiryNs = Long.MAX_VALUE;

    ClientFilter(FilterEngine engine, ClientId id, TunnelAddresses addresses, AuthorizationSet authorizations,
                 FlowTable flows) {
        this.engine = engine;
        this.id = id;
        this.addresses = addresses;
        this.authorizations = authorizations;
        this.flows = flows;
        this.replies = new ClientFlows(flows, authorizations, engine);
    }

    public ClientId id() {
        return id;
    }

    public TunnelAddresses tunnelAddresses() {
        return addresses;
    }

    /**
     * Decides a parsed packet from the client, by destination address. For ICMP the echo identifier
     * keys the flow; for a non-first fragment the port is unknown (-1). An ICMP error is allowed only
     * when it is about a packet the client received on one of its live flows (the quoted packet goes from
     * the error's destination to the client's own address, and that flow's route still holds), through
     * that flow's resource; otherwise {@link Verdict#UNMATCHED_ICMP_ERROR}.
     *
     * @return {@code out}, overwritten
     */
    public Decision decide(IpPacket packet, long nowNs, Decision out) {
        if (FlowKeys.isIcmpError(packet)) {
            return decideError(packet, nowNs, out);
        }
        int protocol = packet.protocol();
        int sourcePort = FlowKeys.clientPort(packet);
        int destinationPort = packet.destinationPort();
        if (packet.version() == 4) {
            return decideV4(packet.ipv4().source(), packet.ipv4().destination(), protocol, sourcePort,
                    destinationPort, nowNs, out);
        }
        var ip = packet.ipv6();
        return decideV6(ip.sourceHigh(), ip.sourceLow(), ip.destinationHigh(), ip.destinationLow(), protocol,
                sourcePort, destinationPort, nowNs, out);
    }

    /**
     * Decides an IPv4 packet given as fields (addresses as 32 bits in network order). Sees no ICMP
     * payload: callers holding the packet use {@link #decide}, which also checks ICMP errors.
     *
     * @param sourcePort TCP/UDP source port, the ICMP echo identifier, or -1
     * @param destinationPort TCP/UDP destination port, or -1 (ICMP, other protocols, fragments)
     * @return {@code out}, overwritten
     */
    public Decision decideV4(int source, int destination, int protocol, int sourcePort, int destinationPort,
                             long nowNs, Decision out) {
        engine.advance(nowNs);
        long destinationLow = destination & 0xFFFF_FFFFL;
        out.packet(4, 0, source & 0xFFFF_FFFFL, 0, destinationLow, protocol, destinationPort, null);
        if (source != addresses.ipv4()) {
            out.set(Verdict.SPOOFED, null);
            return out;
        }
        return routeAddress(true, destination, FlowTable.meta(4, protocol, sourcePort, destinationPort), 0,
                destinationLow, protocol, destinationPort, nowNs, out);
    }

    /** Decides an IPv6 packet given as fields; like {@link #decideV4}. */
    public Decision decideV6(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int protocol,
                             int sourcePort, int destinationPort, long nowNs, Decision out) {
        engine.advance(nowNs);
        out.packet(6, sourceHigh, sourceLow, destinationHigh, destinationLow, protocol, destinationPort, null);
        if (sourceHigh != addresses.ipv6High() || sourceLow != addresses.ipv6Low()) {
            out.set(Verdict.SPOOFED, null);
            return out;
        }
        return routeAddress(false, 0, FlowTable.meta(6, protocol, sourcePort, destinationPort), destinationHigh,
                destinationLow, protocol, destinationPort, nowNs, out);
    }

    /**
     * Decides an IPv6 packet to an address inside the site's NAT64 prefix by the IPv4 address it embeds
     * (where the NAT64 delivers it), so the Internet resource's exclusions and the CIDR resources apply
     * to it exactly as to the IPv4 packet it becomes; IPv6 resources do not. The flow is keyed by the
     * IPv6 destination, so replies from it match.
     *
     * @param embeddedIpv4 the IPv4 address the destination embeds (RFC 6052), network order
     * @return {@code out}, overwritten
     */
    public Decision decideNat64(IpPacket packet, int embeddedIpv4, long nowNs, Decision out) {
        if (packet.version() != 6) {
            throw new IllegalArgumentException("NAT64 destinations are IPv6");
        }
        if (FlowKeys.isIcmpError(packet)) {
            return decideError(packet, nowNs, out);
        }
        if (!fromClient(packet, nowNs, out)) {
            return out;
        }
        var ip = packet.ipv6();
        return routeAddress(true, embeddedIpv4, FlowKeys.outbound(packet), ip.destinationHigh(), ip.destinationLow(),
                packet.protocol(), packet.destinationPort(), nowNs, out);
    }

    /**
     * Decides a packet to the gateway's own tunnel address: allowed when it is for one of
     * {@code services} (its flow is then recorded, so the host's replies are let back by
     * {@link #admitsInbound}) or an ICMP error about one of the client's flows; otherwise
     * {@link Verdict#GATEWAY_FILTERED}. No authorisation is needed; the resource of an allowed decision
     * is null.
     *
     * @return {@code out}, overwritten
     */
    public Decision decideGateway(IpPacket packet, GatewayServices services, long nowNs, Decision out) {
        if (FlowKeys.isIcmpError(packet)) {
            return decideError(packet, nowNs, out);
        }
        if (!fromClient(packet, nowNs, out)) {
            return out;
        }
        if (!services.permits(packet)) {
            out.set(Verdict.GATEWAY_FILTERED, null);
            return out;
        }
        replies.recordGatewayFlow(packet, nowNs);
        out.set(Verdict.ALLOWED, null);
        return out;
    }

    /**
     * Whether a packet from the site (or the gateway host) to this client belongs to a flow the client
     * opened whose route still holds (the resource unexpired and its filters still permitting the
     * flow): a reply (TCP/UDP from the flow's remote address and port to its client port, an echo reply
     * with the echo's identifier, the same protocol between the same addresses otherwise), or an ICMP
     * error about a packet of such a flow sent to the client's own address, the quoted packet's source.
     * Everything else is refused: unsolicited packets, echo requests and other ICMP messages, and
     * replies of flows idle past their timeout ({@link FilterConfig}) or evicted from a full table. A
     * reply refreshes its flow's idle deadline; a reply's first fragment admits the non-first fragments
     * from that address and protocol for {@value ClientFlows#FRAGMENTS_ADMITTED_SECONDS} s (they carry no ports).
     * No allocation.
     */
    public boolean admitsInbound(IpPacket packet, long nowNs) {
        engine.advance(nowNs);
        return replies.admitsInbound(packet, addresses, nowNs);
    }

    /**
     * The candidates for a domain, to cache beside the DNS-resource NAT entry for it. Allocates and
     * matches every DNS resource of the client: call it when the domain is first seen, not per packet.
     */
    public DomainCandidates domainCandidates(String domain) {
        Objects.requireNonNull(domain, "domain");
        return new DomainCandidates(this, domain, engine.nextDomainFlowKey(), authorizations.snapshot());
    }

    /** Decides a parsed packet for a DNS resource's domain (its destination address is a proxy address). */
    public Decision decideDomain(IpPacket packet, DomainCandidates domain, long nowNs, Decision out) {
        int sourcePort = FlowKeys.clientPort(packet);
        if (packet.version() == 4) {
            return decideDomainV4(packet.ipv4().source(), domain, packet.protocol(), sourcePort,
                    packet.destinationPort(), nowNs, out);
        }
        return decideDomainV6(packet.ipv6().sourceHigh(), packet.ipv6().sourceLow(), domain, packet.protocol(),
                sourcePort, packet.destinationPort(), nowNs, out);
    }

    /**
     * Decides an IPv4 packet for a domain: among the client's DNS resources matching it, by the
     * tie-break order of this class. Allocation-free unless the authorisations changed since the
     * candidates were computed.
     *
     * @throws IllegalArgumentException if {@code domain} came from another client (a programming error)
     */
    public Decision decideDomainV4(int source, DomainCandidates domain, int protocol, int sourcePort,
                                   int destinationPort, long nowNs, Decision out) {
        engine.advance(nowNs);
        out.packet(4, 0, source & 0xFFFF_FFFFL, 0, 0, protocol, destinationPort, domain.domain);
        if (source != addresses.ipv4()) {
            out.set(Verdict.SPOOFED, null);
            return out;
        }
        return routeDomain(domain, 4, protocol, sourcePort, destinationPort, nowNs, out);
    }

    /** Decides an IPv6 packet for a domain; like {@link #decideDomainV4}. */
    public Decision decideDomainV6(long sourceHigh, long sourceLow, DomainCandidates domain, int protocol,
                                   int sourcePort, int destinationPort, long nowNs, Decision out) {
        engine.advance(nowNs);
        out.packet(6, sourceHigh, sourceLow, 0, 0, protocol, destinationPort, domain.domain);
        if (sourceHigh != addresses.ipv6High() || sourceLow != addresses.ipv6Low()) {
            out.set(Verdict.SPOOFED, null);
            return out;
        }
        return routeDomain(domain, 6, protocol, sourcePort, destinationPort, nowNs, out);
    }

    /**
     * The client's unexpired DNS resources matching {@code domain}, in tie-break order (most specific
     * pattern first, then id): what the gateway answers a DNS query for the domain with. Allocates.
     */
    public List<ResourceId> matchingDnsResources(String domain, long nowNs) {
        Snapshot snapshot = authorizations.snapshot();
        List<ResourceId> matching = new ArrayList<>();
        for (int entry : snapshot.domainCandidates(domain)) {
            if (snapshot.expiresAtNs(entry) > nowNs) {
                matching.add(snapshot.id(entry));
            }
        }
        return matching;
    }

    /**
     * Replaces every authorisation with {@code all} (what a control plane's init does). Refused whole
     * if the list is longer than {@link FilterConfig#maxResourcesPerClient} or names a resource twice.
     * Expiries are converted to the {@code nowNs} domain now, through the engine's wall clock ({@link java.time.InstantSource}).
     */
    public CommandResult replaceAll(List<Authorization> all, long nowNs) {
        engine.advance(nowNs);
        int before = authorizations.size();
        CommandResult result = authorizations.replaceAll(all, nowNs);
        return changed(result, before, "replaced all", null);
    }

    /** Adds an authorisation, or replaces the client's one for the same resource (filters and expiry). */
    public CommandResult add(Authorization authorization, long nowNs) {
        engine.advance(nowNs);
        int before = authorizations.size();
        return changed(authorizations.add(authorization, nowNs), before, "added", authorization.resourceId());
    }

    /** Removes the authorisation for {@code resource}; flows through it are re-routed or denied. */
    public CommandResult remove(ResourceId resource, long nowNs) {
        engine.advance(nowNs);
        int before = authorizations.size();
        return changed(authorizations.remove(resource), before, "removed", resource);
    }

    /** Changes the filters of the authorisation for {@code resource}, keeping its expiry. */
    public CommandResult changeFilters(ResourceId resource, List<Filter> filters, long nowNs) {
        engine.advance(nowNs);
        int before = authorizations.size();
        return changed(authorizations.changeFilters(resource, filters), before, "filters changed", resource);
    }

    /** The client's authorisations, in resource-id order (expired ones until the timeout removes them). */
    public List<Authorization> authorizations() {
        return authorizations.authorizations();
    }

    public int authorizationCount() {
        return authorizations.size();
    }

    /** Live flows evicted from the full flow table to make room for new ones. */
    public long flowEvictions() {
        return flows.evictions();
    }

    /** Flows with a remembered route at {@code nowNs} (scans the table; for metrics and tests). */
    public int liveFlows(long nowNs) {
        return flows.liveFlows(nowNs);
    }

    // ---- engine side --------------------------------------------------------------------------

    long nextExpiryNs() {
        return nextExpiryNs;
    }

    void updateAddresses(TunnelAddresses newAddresses) {
        if (!newAddresses.equals(addresses)) {
            addresses = newAddresses;
            flows.clear();
        }
    }

    /** Removes expired authorisations, reporting each, then "none left" if that emptied the client. */
    void expire(long nowNs) {
        int before = authorizations.size();
        for (ResourceId expired : authorizations.removeExpired(nowNs)) {
            Logger.debug("cid={} rid={} authorisation expired", id, expired);
            engine.emit(new FilterEvent.AuthorizationExpired(id, expired));
        }
        afterChange(before);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * The fast path of an established flow: if the table is the one the flow's route was chosen in
     * (same snapshot generation, so the same candidates) and that route is unexpired and still permits
     * the packet, rule 1 of the tie-break picks it without looking the destination up again.
     */
    private boolean keepsRoute(Snapshot snapshot, int slot, int protocol, int destinationPort, long nowNs,
                               Decision out) {
        int entry = flows.entry(slot);
        if (flows.generation(slot) != snapshot.generation() || entry < 0 || snapshot.isExpired(entry, nowNs)
                || !snapshot.permits(entry, protocol, destinationPort)) {
            return false;
        }
        flows.touch(slot, nowNs, engine.flowIdleNs(protocol));
        out.set(Verdict.ALLOWED, snapshot.id(entry));
        return true;
    }

    /**
     * Routes by the (entry, filter offset) pairs at {@code candidates[from, to)}; {@code slot} is the
     * flow's, or where to insert it.
     */
    private Decision route(Snapshot snapshot, int[] candidates, int from, int to, int slot, long meta, long keyHigh,
                           long keyLow, int protocol, int destinationPort, long nowNs, Decision out) {
        if (from == to) {
            out.set(Verdict.NO_RESOURCE, null);
            return out;
        }
        int flowEntry = slot < 0 ? -1 : flowEntry(slot, snapshot);
        int chosen = Routes.choose(snapshot, candidates, from, to, flowEntry, protocol, destinationPort, nowNs);
        if (chosen >= 0) {
            flows.put(slot, meta, keyHigh, keyLow, snapshot.id(chosen), snapshot.generation(), chosen, nowNs,
                    engine.flowIdleNs(protocol));
            out.set(Verdict.ALLOWED, snapshot.id(chosen));
        } else if (chosen == Routes.NO_RESOURCE) {
            out.set(Verdict.NO_RESOURCE, null);
        } else {
            out.set(Verdict.FILTERED, snapshot.id(Routes.deniedEntry(chosen)));
        }
        return out;
    }

    private Decision routeDomain(DomainCandidates domain, int version, int protocol, int sourcePort,
                                 int destinationPort, long nowNs, Decision out) {
        if (domain.owner != this) {
            throw new IllegalArgumentException("domain candidates of client " + domain.owner.id + " used for " + id);
        }
        Snapshot snapshot = authorizations.snapshot();
        if (domain.snapshot != snapshot) {
            domain.refresh(snapshot);
        }
        long meta = FlowTable.meta(0, protocol, sourcePort, destinationPort);
        int slot = flows.find(meta, domain.flowKey, version, nowNs);
        if (slot >= 0 && keepsRoute(snapshot, slot, protocol, destinationPort, nowNs, out)) {
            return out;
        }
        int[] entries = domain.entries;
        return route(snapshot, entries, 0, entries.length, slot, meta, domain.flowKey, version, protocol,
                destinationPort, nowNs, out);
    }

    /** The flow's entry in {@code snapshot}, re-found by resource id if the snapshot was rebuilt. */
    private int flowEntry(int slot, Snapshot snapshot) {
        return ClientFlows.entry(flows, slot, snapshot);
    }

    private CommandResult changed(CommandResult result, int before, String what, ResourceId resource) {
        if (result == CommandResult.APPLIED) {
            Logger.debug("cid={} rid={} authorisation {}; {} held", id, resource, what, authorizations.size());
            afterChange(before);
        } else {
            engine.countRefusedCommand();
            Logger.debug("cid={} rid={} authorisation change refused: {}", id, resource, result);
        }
        return result;
    }

    private void afterChange(int before) {
        nextExpiryNs = authorizations.nextExpiryNs();
        engine.onExpiryChanged();
        if (before > 0 && authorizations.size() == 0) {
            Logger.debug("cid={} no authorisation left", id);
            engine.emit(new FilterEvent.NoAuthorizationLeft(id));
        }
    }

    /**
     * Routes by destination: the flow's remembered route if it still holds, else a search of the
     * interval index (IPv4 at {@code v4Destination} when {@code byV4}, else IPv6 at the key's address).
     */
    private Decision routeAddress(boolean byV4, int v4Destination, long meta, long keyHigh, long keyLow, int protocol,
                                  int destinationPort, long nowNs, Decision out) {
        Snapshot snapshot = authorizations.snapshot();
        int slot = flows.find(meta, keyHigh, keyLow, nowNs);
        if (slot >= 0 && keepsRoute(snapshot, slot, protocol, destinationPort, nowNs, out)) {
            return out;
        }
        IntervalIndex index = byV4 ? snapshot.v4() : snapshot.v6();
        int[] pool = index.pool();
        int at = byV4 ? index.candidatesV4(v4Destination) : index.candidatesV6(keyHigh, keyLow);
        return route(snapshot, pool, at + 1, at + 1 + 2 * pool[at], slot, meta, keyHigh, keyLow, protocol,
                destinationPort, nowNs, out);
    }

    /**
     * A client's ICMP error: allowed through the flow whose packet it quotes, when that packet went from
     * the error's destination to the client's own address on a live flow whose route still holds.
     */
    private Decision decideError(IpPacket packet, long nowNs, Decision out) {
        if (!fromClient(packet, nowNs, out)) {
            return out;
        }
        int slot = replies.quotedBy(packet, addresses, nowNs);
        if (slot < 0) {
            out.set(Verdict.UNMATCHED_ICMP_ERROR, null);
            return out;
        }
        out.set(Verdict.ALLOWED, flows.resource(slot));
        return out;
    }

    /** Starts a packet's decision: true if it comes from the client's own address, else {@code out} says spoofed. */
    private boolean fromClient(IpPacket packet, long nowNs, Decision out) {
        engine.advance(nowNs);
        out.packet(packet.version(), FlowKeys.sourceHigh(packet), FlowKeys.sourceLow(packet),
                FlowKeys.destinationHigh(packet), FlowKeys.destinationLow(packet), packet.protocol(),
                packet.destinationPort(), null);
        if (ClientFlows.isOwnSource(packet, addresses)) {
            return true;
        }
        out.set(Verdict.SPOOFED, null);
        return false;
    }
}
