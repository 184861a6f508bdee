package zonegate.tunnel;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.List;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.ice.Candidate;
import zonegate.node.Node;
import zonegate.node.NodeConfig;
import zonegate.node.NodeTimeout;
import zonegate.node.TurnServer;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.internal.RelaySet;
import zonegate.tunnel.internal.client.ClientOutputs;
import zonegate.tunnel.internal.client.ClientParts;
import zonegate.tunnel.internal.client.ClientPath;
import zonegate.tunnel.internal.client.FlowGateways;
import zonegate.tunnel.internal.client.StubResolver;
import zonegate.wireguard.DropReason;
import zonegate.wireguard.HandshakeCounter;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.PublicKey;

/**
 * The headless client, as a sans-IO state machine over a {@link Node} (client role: ICE controlling,
 * WireGuard initiator): a stub DNS resolver on sentinel addresses that hands out proxy addresses for DNS
 * resources, the routing of every TUN packet to the gateway that serves its resource, connection intents
 * for resources without an authorisation, and the DNS-resource NAT setup with each gateway.
 *
 * <h2>Routing (deterministic, whatever the order resources were added)</h2>
 * <ol>
 *   <li>a flow that already has a gateway keeps it (2 minutes idle);</li>
 *   <li>a DNS resource's proxy address (from the stub resolver) goes to that resource;</li>
 *   <li>CIDR resources: the longest prefix wins, a tie goes to the smallest resource id;</li>
 *   <li>the Internet resource, if listed and enabled, except the tunnel, proxy and sentinel ranges and
 *       the destinations the Internet resource never covers (private, loopback, link-local, ...).</li>
 * </ol>
 * No route: ICMP network unreachable, locally. The resource's filter denies it: ICMP administratively
 * prohibited, locally. No authorisation yet: the packet waits (128 per resource, oldest dropped,
 * duplicates and retransmitted SYNs not stacked) and a {@link ClientEvent.ConnectionIntent} is raised (at
 * most every 2 s). A DNS resource's first packet through a gateway first sends AssignedIps (every 2 s
 * until DomainStatus; up to 32 packets wait).
 *
 * <h2>Driving it</h2>
 * Like the gateway: {@code handleDeviceInput}, {@code handleNetworkInput(local, from, ...)},
 * {@code handleTimeout} when {@link #pollTimeout()} is due, then drain {@link #pollTransmit()},
 * {@link #pollPacket()} (for the TUN device) and {@link #pollEvent()}. Forwarded DNS queries are
 * {@link ClientEvent.DnsQuery} events; answer them with {@link #handleUpstreamDnsResponse}. Not
 * thread-safe: one thread.
 */
public final class ClientState {
    private static final int OUTPUT_CAPACITY = 4096;
    /** Sticky flows remembered (least recently used pushed out beyond it). */
    private static final int MAX_FLOWS = 65_536;

    private final Node node;
    private final ClientParts parts;
    private final ClientPath path;
    private final ClientOutputs outputs;
    private final RelaySet relays = new RelaySet();
    private final ArrayDeque<ClientEvent> latest = new ArrayDeque<>();
    private long lastNowNs;

    /**
     * @param nodeConfig the node's settings ({@link NodeConfig#client()})
     * @param privateKey the client's WireGuard key (copied; {@link #reset} makes a new one)
     * @param sockets the node's socket addresses, at most one per address family
     * @param records proxy addresses handed out by an earlier session of this process ({@link DnsRecords#EMPTY}
     *     for none): the same names keep their addresses
     * @param pool every output buffer comes from it (at least 1280 + 80 bytes each)
     */
    public ClientState(NodeConfig nodeConfig, PrivateKey privateKey, List<InetSocketAddress> sockets,
            InstantSource wallClock, SecureRandom secureRandom, RandomGenerator random, BufferPool pool,
            DnsRecords records, long nowNs) {
        this.node = new Node(nodeConfig, privateKey, sockets, wallClock, secureRandom, random, nowNs);
        this.outputs = new ClientOutputs(pool, OUTPUT_CAPACITY);
        StubResolver stub = new StubResolver(StubResolver.DEFAULT_MAX_IN_FLIGHT, StubResolver.DEFAULT_UPSTREAM_TIMEOUT_NS);
        stub.seed(records);
        this.parts = new ClientParts(node, outputs, stub, new FlowGateways(MAX_FLOWS));
        this.path = new ClientPath(parts);
        parts.path = path;
        this.lastNowNs = nowNs;
        Logger.info("client started: peer={}", node.publicKey());
    }

    /** The client's current WireGuard public key. */
    public PublicKey publicKey() {
        return node.publicKey();
    }

    // ---- control plane

    /**
     * The control plane's init (on every reconnect): the client's tunnel addresses, its resources (the full
     * list: a resource not listed any more is removed, with its authorisation), relays and upstream DNS servers.
     */
    public void init(TunnelAddresses interfaceAddresses, List<ClientResource> resources, List<TurnServer> relayList,
            List<InetSocketAddress> upstreamDns, long nowNs) {
        long now = advance(nowNs);
        parts.init(interfaceAddresses, resources, upstreamDns, now);
        relays.replace(node, relayList, now);
        settle(now);
    }

    /**
     * A resource was created or changed. Its flows are routed again (with its new address and filters); one
     * that moved to another site also loses its authorisation, so the next packet asks the control plane again.
     */
    public void resourceCreatedOrUpdated(ClientResource resource, long nowNs) {
        long now = advance(nowNs);
        parts.upsertResource(resource, now);
        settle(now);
    }

    /** A resource was deleted: its authorisation goes; a gateway that serves nothing else is closed. */
    public void resourceDeleted(ResourceId resource, long nowNs) {
        long now = advance(nowNs);
        parts.removeResource(resource, now);
        settle(now);
    }

    /** The answer to a connection intent: the gateway, its key and the ICE credentials. */
    public void authorizationCreated(GatewayAccess access, long nowNs) {
        long now = advance(nowNs);
        parts.authorized(access, now);
        settle(now);
    }

    /** The control plane could not authorise: the waiting packets are dropped; offline marks the site. */
    public void authorizationCreationFailed(ResourceId resource, boolean siteOffline, long nowNs) {
        long now = advance(nowNs);
        parts.authorizationFailed(resource, siteOffline, now);
        settle(now);
    }

    /** Candidates a gateway trickled. */
    public void addRemoteCandidates(String gatewayId, List<Candidate> candidates, long nowNs) {
        long now = advance(nowNs);
        candidates.forEach(c -> node.addRemoteCandidate(gatewayId, c, now));
        settle(now);
    }

    /** Candidates a gateway withdrew. */
    public void removeRemoteCandidates(String gatewayId, List<Candidate> candidates, long nowNs) {
        long now = advance(nowNs);
        candidates.forEach(c -> node.removeRemoteCandidate(gatewayId, c, now));
        settle(now);
    }

    /** Adds and removes relays. */
    public void updateRelays(List<TurnServer> add, List<InetSocketAddress> remove, long nowNs) {
        long now = advance(nowNs);
        relays.update(node, add, remove, now);
        settle(now);
    }

    // ---- user

    /** The Internet resource's toggle (it routes only when the control plane lists one and it is on). */
    public void setInternetResourceEnabled(boolean enabled, long nowNs) {
        long now = advance(nowNs);
        parts.setInternetEnabled(enabled);
        settle(now);
    }

    /** The system's DNS servers (used when the control plane names no upstream). */
    public void setSystemDns(List<InetSocketAddress> servers, long nowNs) {
        long now = advance(nowNs);
        parts.setSystemDns(servers);
        settle(now);
    }

    /**
     * Roaming: the node is reset (new sockets, a new WireGuard key announced by
     * {@link ClientEvent.PublicKeyChanged}), every connection and authorisation is dropped, pending DNS
     * queries are cleared; the next packet for a resource raises a new intent.
     */
    public void reset(List<InetSocketAddress> sockets, long nowNs) {
        long now = advance(nowNs);
        node.reset(sockets, now);
        parts.clearSession();
        settle(now);
    }

    /** Sign-out: a goodbye to every gateway, then as {@link #reset} without a new key. */
    public void signOut(long nowNs) {
        long now = advance(nowNs);
        node.closeAll(now);
        parts.clearSession();
        settle(now);
    }

    /** The proxy addresses handed out so far, to seed the next session. */
    public DnsRecords dnsRecords() {
        return parts.stub.export();
    }

    // ---- inputs

    /** An IP packet from the TUN device (its remaining bytes; consumed, the caller keeps the buffer). */
    public void handleDeviceInput(ByteBuffer packet, long nowNs) {
        long now = advance(nowNs);
        try {
            path.onDevicePacket(packet, now);
        } catch (RuntimeException bug) {
            path.onBug();
            Logger.error(bug, "bug while handling a device packet");
        }
        parts.drainNode(now);
    }

    /** A datagram arrived on the node's socket {@code local} (consumed). */
    public void handleNetworkInput(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        long now = advance(nowNs);
        try {
            path.onDatagram(local, from, datagram, now);
        } catch (RuntimeException bug) {
            path.onBug();
            Logger.error(bug, "bug while handling a datagram from {}", from);
        }
        parts.drainNode(now);
    }

    /** The upstream's answer to {@link ClientEvent.DnsQuery} {@code queryId}, or null when it failed. */
    public void handleUpstreamDnsResponse(long queryId, ByteBuffer message, long nowNs) {
        long now = advance(nowNs);
        parts.onStubResult(parts.stub.handleUpstreamResponse(queryId, message, now), now);
        parts.drainNode(now);
    }

    /** Runs what is due: the node, DNS query timeouts, site status resets, AssignedIps retransmits. */
    public void handleTimeout(long nowNs) {
        long now = advance(nowNs);
        NodeTimeout due = node.pollTimeout();
        if (due != null && due.deadlineNs() <= now) {
            node.handleTimeout(now);
        }
        parts.stub.handleTimeout(now);
        parts.sites.handleTimeout(now);
        parts.flows.expire(now);
        parts.sendDueDomainSetups(now);
        parts.drainNode(now);
    }

    // ---- outputs

    /** The next datagram to send (from the socket of its destination's family), or null. */
    public Transmit pollTransmit() {
        return outputs.rings().pollTransmit();
    }

    /** Hands up to {@code limit} queued datagrams to {@code sink}, in order, without a {@link Transmit} each. */
    public int drainTransmits(TransmitSink sink, int limit) {
        return outputs.rings().drainTransmits(sink, limit);
    }

    /** The next IP packet for the TUN device (ownership passes), or null. */
    public PooledBuffer pollPacket() {
        return outputs.rings().pollPacket();
    }

    /** The next event, or null; latest-value events come after the queued ones. */
    public ClientEvent pollEvent() {
        ClientEvent e = outputs.pollEvent();
        if (e != null) {
            return e;
        }
        if (latest.isEmpty()) {
            latest.addAll(parts.takeLatest());
        }
        return latest.poll();
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE}; the last {@code nowNs} while output is queued. */
    public long pollTimeout() {
        if (outputs.hasOutput() || parts.hasLatest() || !latest.isEmpty()) {
            return lastNowNs;
        }
        NodeTimeout n = node.pollTimeout();
        long deadline = n == null ? Long.MAX_VALUE : n.deadlineNs();
        deadline = Math.min(deadline, parts.stub.pollTimeout());
        deadline = Math.min(deadline, parts.sites.pollTimeout());
        deadline = Math.min(deadline, parts.flows.nextExpiryNs());
        return Math.min(deadline, parts.domains.pollTimeout());
    }

    /** What the packet path dropped for {@code reason}. */
    public long count(ClientCounter reason) {
        return path.count(reason);
    }

    /** The node's counter (ICE, WireGuard and relay drops, control messages). */
    public long nodeCount(zonegate.node.NodeCounter counter) {
        return node.count(counter);
    }

    /** WireGuard's handshake messages written or accepted (all gateways). */
    public long handshakeCount(HandshakeCounter counter) {
        return node.handshakeCount(counter);
    }

    /** WireGuard's own drop counter for {@code reason} (all gateways). */
    public long wireGuardDropCount(DropReason reason) {
        return node.wireGuardDropCount(reason);
    }

    /** Connections to gateways held (connecting or connected). */
    public int connectionCount() {
        return node.connectionCount();
    }

    /** How often the CIDR routes were recomputed (only when the set of CIDR resources changes). */
    public long cidrRouteRebuilds() {
        return parts.routes.cidrRebuilds();
    }

    /** The state of the connection to a gateway, or null. */
    public zonegate.node.ConnectionState connectionState(String gatewayId) {
        return node.state(gatewayId);
    }

    private void settle(long now) {
        parts.sendDueDomainSetups(now);
        parts.drainNode(now);
    }

    private long advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards: " + nowNs + " < " + lastNowNs;
        lastNowNs = Math.max(lastNowNs, nowNs);
        return lastNowNs;
    }
}
