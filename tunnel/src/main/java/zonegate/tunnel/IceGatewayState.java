package zonegate.tunnel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.filter.ClientId;
import zonegate.filter.FilterEngine;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.ice.Candidate;
import zonegate.nat64.SharedPortSpace;
import zonegate.node.Node;
import zonegate.node.NodeConfig;
import zonegate.node.NodeTimeout;
import zonegate.node.TurnServer;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.internal.ClientTable;
import zonegate.tunnel.internal.DataPlane;
import zonegate.tunnel.internal.DnsResources;
import zonegate.tunnel.internal.InboundPath;
import zonegate.tunnel.internal.IceControl;
import zonegate.tunnel.internal.NodeLinks;
import zonegate.tunnel.internal.OutboundPath;
import zonegate.tunnel.internal.OutputQueues;
import zonegate.tunnel.internal.Timers;
import zonegate.wireguard.DropReason;
import zonegate.wireguard.HandshakeCounter;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.PublicKey;

/**
 * The gateway in ICE mode, as a sans-IO state machine: clients reach it through connections of a
 * {@link Node} (ICE controlled, WireGuard responder only, relayed through TURN when no direct path exists),
 * and a control plane, not a file, says who may reach what. Per packet the enforcement is the static
 * mode's ({@link GatewayState}): anti-spoofing, filter decisions answered with ICMP errors, replies only
 * for flows a client opened, DNS-resource NAT and NAT64.
 *
 * <h2>Commands (from the control plane)</h2>
 * <ul>
 *   <li>{@link #init}: the gateway's tunnel addresses, the relays, and the full list of authorisations:
 *       what is not listed is revoked, expiries are updated;</li>
 *   <li>{@link #createAuthorization}: upserts the client's connection with its ICE credentials (the same
 *       keys and credentials keep the connection) and allows the resource; answered with
 *       {@link GatewayEvent.AuthorizationCreated};</li>
 *   <li>{@link #rejectAccess}, {@link #resourceUpdated} (new filters or address), {@link #updateRelays},
 *       {@link #addRemoteCandidates}, {@link #removeRemoteCandidates};</li>
 *   <li>{@link #setControlPlaneConnected}: while disconnected, local candidate changes are held (merged
 *       per client) and flushed as {@link GatewayEvent.CandidatesChanged} on reconnect.</li>
 * </ul>
 * A client whose last authorisation goes (revoked, expired, rejected) gets a goodbye and its connection is
 * closed; a client that says goodbye is forgotten; a connection that fails keeps the client's
 * authorisations ({@link GatewayEvent.ConnectionLost}): it may come back.
 *
 * <h2>DNS resources</h2>
 * The client's stub resolver picks the proxy addresses and sends them in an AssignedIps message. If the
 * domain matches an authorised DNS resource, the gateway raises {@link GatewayEvent.ResolveDomain}; the
 * shell resolves the name (A and AAAA) and calls {@link #domainResolved}, which programs the client's NAT
 * table and answers DomainStatus active (inactive at once for a domain of no authorised resource, on a
 * failed resolution, a forbidden target, or no answer within 10 s). Each new AssignedIps resolves again.
 *
 * <h2>Driving it</h2>
 * As {@link GatewayState}, with one difference: datagrams arrive on one of the node's sockets (one per
 * address family, passed at construction) and {@link #handleNetworkInput} names which; the shell sends
 * every transmit from its socket of the destination's address family. Not thread-safe: one thread.
 */
public final class IceGatewayState {
    private static final int MIN_EXTRA_BUFFER_BYTES = 80;

    private final Node node;
    private final ClientTable clients;
    private final OutputQueues queues;
    private final DataPlane dataPlane;
    private final InboundPath inbound;
    private final DnsResources dns;
    private final Timers timers;
    private final IceControl control;
    private long lastNowNs;

    /**
     * @param config the gateway's bounds; its tunnel addresses are used until {@link #init} gives others
     * @param nodeConfig the node's settings ({@link NodeConfig#server()})
     * @param privateKey the gateway's WireGuard key (copied)
     * @param sockets the addresses of the node's sockets, at most one per address family
     * @param wallClock WireGuard timestamps and Unix-seconds expiries
     * @param secureRandom WireGuard ephemeral keys and cookies
     * @param random ICE, receiver indices, relay sampling, NAT ports (seed it for reproducible runs)
     * @param pool every output buffer comes from it; its buffers hold an MTU-sized packet plus 80 bytes
     */
    public IceGatewayState(GatewayConfig config, NodeConfig nodeConfig, PrivateKey privateKey,
            List<InetSocketAddress> sockets, InstantSource wallClock, SecureRandom secureRandom,
            RandomGenerator random, BufferPool pool, long nowNs) {
        Objects.requireNonNull(config, "config");
        if (pool.bufferSizeBytes() < config.mtuBytes() + MIN_EXTRA_BUFFER_BYTES) {
            throw new IllegalArgumentException("pool buffers of " + pool.bufferSizeBytes() + " bytes cannot hold "
                    + config.mtuBytes() + " + " + MIN_EXTRA_BUFFER_BYTES);
        }
        this.node = new Node(nodeConfig, privateKey, sockets, wallClock, secureRandom, random, nowNs);
        FilterEngine engine = new FilterEngine(config.filter(), wallClock);
        SharedPortSpace ports = new SharedPortSpace(config.natPortSpaceCapacity(), config.natReservedFlowsPerClient(),
                config.maxNatFlowsPerClient(), random);
        TunnelAddresses gateway = TunnelAddresses.of(config.tunnelIpv4(), config.tunnelIpv6());
        this.queues = new OutputQueues(pool, config.transmitQueueCapacity(), config.packetQueueCapacity(),
                config.eventQueueCapacity());
        NodeLinks links = new NodeLinks(node, pool, queues);
        this.clients = new ClientTable(config, links, engine, ports, random, gateway);
        this.dataPlane = new DataPlane(config, pool, null, links, engine, ports, clients, queues, gateway.ipv4(),
                gateway.ipv6High(), gateway.ipv6Low());
        this.inbound = new InboundPath(dataPlane);
        this.dns = new DnsResources(clients, wallClock, config);
        this.control = new IceControl(node, dataPlane, dns, new OutboundPath(dataPlane));
        this.timers = new Timers(dataPlane, control::onNoAuthorizationLeft);
        this.lastNowNs = nowNs;
        Logger.info("gateway started in ICE mode: peer={} sockets {}", node.publicKey(), sockets);
    }

    /** The gateway's WireGuard public key (what the control plane gives clients). */
    public PublicKey publicKey() {
        return node.publicKey();
    }

    // ---- commands ------------------------------------------------------------------------------

    /**
     * The control plane's init (on every (re)connect): the gateway's tunnel addresses (the shell gives them
     * to its TUN device), the relays (those not listed are removed) and the full list of authorisations:
     * what the gateway holds and the list does not name is revoked, expiries are updated.
     */
    public void init(TunnelAddresses interfaceAddresses, List<TurnServer> relays, List<AuthorizationRef> authorizations,
            long nowNs) {
        long now = advance(nowNs);
        control.init(interfaceAddresses, relays, authorizations, now);
        settle(now);
    }

    /**
     * Upserts the client and its connection (server role; the same keys and ICE credentials keep a live
     * connection, other ones replace it) and allows the resource with its filters and expiry.
     *
     * @return {@link AuthorizationResult#CREATED} (and {@link GatewayEvent.AuthorizationCreated} is queued), or why not
     */
    public AuthorizationResult createAuthorization(IceAuthorization authorization, long nowNs) {
        long now = advance(nowNs);
        AuthorizationResult result = control.createAuthorization(authorization, now);
        settle(now);
        return result;
    }

    /** Revokes one resource of a client; the last one going closes the connection with a goodbye. */
    public void rejectAccess(ClientId client, ResourceId resource, long nowNs) {
        long now = advance(nowNs);
        control.rejectAccess(client, resource, now);
        settle(now);
    }

    /** A resource's address or filters changed: every client authorised for it gets the new version. */
    public void resourceUpdated(Resource resource, List<zonegate.filter.Filter> filters, long nowNs) {
        long now = advance(nowNs);
        control.resourceUpdated(resource, filters, now);
        settle(now);
    }

    /** Adds and removes relays (see {@link Node#updateRelays}). */
    public void updateRelays(List<TurnServer> add, List<InetSocketAddress> remove, long nowNs) {
        long now = advance(nowNs);
        control.updateRelays(add, remove, now);
        settle(now);
    }

    /** Candidates the client trickled. */
    public void addRemoteCandidates(ClientId client, List<Candidate> candidates, long nowNs) {
        long now = advance(nowNs);
        candidates.forEach(c -> node.addRemoteCandidate(client.value(), c, now));
        settle(now);
    }

    /** Candidates the client withdrew. */
    public void removeRemoteCandidates(ClientId client, List<Candidate> candidates, long nowNs) {
        long now = advance(nowNs);
        candidates.forEach(c -> node.removeRemoteCandidate(client.value(), c, now));
        settle(now);
    }

    /** The control plane's connection went down (changes are held) or came back (held changes are flushed). */
    public void setControlPlaneConnected(boolean connected, long nowNs) {
        long now = advance(nowNs);
        control.setControlPlaneConnected(connected);
        settle(now);
    }

    /**
     * The shell's answer to {@link GatewayEvent.ResolveDomain}: {@code addresses} (A and AAAA), or null when
     * the resolution failed. A late answer (after the 10 s timeout) is ignored.
     */
    public void domainResolved(ClientId client, String domain, List<? extends InetAddress> addresses, long nowNs) {
        long now = advance(nowNs);
        control.domainResolved(client, domain, addresses, now);
        settle(now);
    }

    /** Graceful shutdown: a goodbye to every client whose connection is up, and every connection closed. */
    public void closeAll(long nowNs) {
        long now = advance(nowNs);
        node.closeAll(now);
        settle(now);
    }

    // ---- inputs --------------------------------------------------------------------------------

    /** A datagram arrived on the node's socket {@code local}; its remaining bytes are consumed. */
    public void handleNetworkInput(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        long now = advance(nowNs);
        try {
            control.onDatagram(local, from, datagram, now);
        } catch (RuntimeException bug) {
            onBug("datagram from " + from, bug);
        }
        control.drainNode(now);
    }

    /** An IP packet from the TUN device for the client whose tunnel address it is sent to (consumed). */
    public void handleDeviceInput(ByteBuffer packet, long nowNs) {
        long now = advance(nowNs);
        try {
            inbound.onPacket(packet, now);
        } catch (RuntimeException bug) {
            onBug("device packet", bug);
        }
        control.drainNode(now);
    }

    /** Runs what is due: the node (ICE, WireGuard, TURN), authorisation and NAT expiry, DNS resolutions. */
    public void handleTimeout(long nowNs) {
        long now = advance(nowNs);
        NodeTimeout due = node.pollTimeout();
        if (due != null && due.deadlineNs() <= now) {
            node.handleTimeout(now);
        }
        timers.handleTimeout(now);
        control.expireResolutions(now);
        control.drainNode(now);
    }

    // ---- outputs -------------------------------------------------------------------------------

    /** The next datagram to send (from the socket of its destination's family), or null. */
    public Transmit pollTransmit() {
        return queues.pollTransmit();
    }

    /** Hands up to {@code limit} queued datagrams to {@code sink}, in order; returns how many. */
    public int drainTransmits(TransmitSink sink, int limit) {
        return queues.drainTransmits(sink, limit);
    }

    /** The next IP packet for the TUN device (ownership passes), or null. */
    public PooledBuffer pollPacket() {
        return queues.pollPacket();
    }

    /** The next event, or null. */
    public GatewayEvent pollEvent() {
        return queues.pollEvent();
    }

    /** The earliest deadline in ns at which {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        NodeTimeout n = node.pollTimeout();
        long nodeDeadline = n == null ? Long.MAX_VALUE : n.deadlineNs();
        return Math.min(nodeDeadline, Math.min(timers.pollTimeout(), control.resolutionDeadlineNs()));
    }

    // ---- counters and status ---------------------------------------------------------------------

    /** Datagrams and packets dropped for {@code reason}. */
    public long dropCount(GatewayDropReason reason) {
        return queues.dropCount(reason);
    }

    /** The node's counter (ICE, WireGuard and relay drops, control messages). */
    public long nodeCount(zonegate.node.NodeCounter counter) {
        return node.count(counter);
    }

    /** WireGuard's handshake messages written or accepted (all clients). */
    public long handshakeCount(HandshakeCounter counter) {
        return node.handshakeCount(counter);
    }

    /** WireGuard's own drop counter for {@code reason} (handshakes and transport, all clients). */
    public long wireGuardDropCount(DropReason reason) {
        return node.wireGuardDropCount(reason);
    }

    /** Client packets a filter decision allowed; the denials are {@link #dropCount} reasons. */
    public long filterAllowedCount() {
        return dataPlane.filterAllowed;
    }

    /** Flows in the clients' DNS-resource NAT tables. */
    public long natFlowCount() {
        return dataPlane.natFlowCount();
    }

    /** The connection state of a client, or null when it has no connection. */
    public zonegate.node.ConnectionState connectionState(ClientId client) {
        return node.state(client.value());
    }

    /** Clients held (with at least one authorisation, or waiting to connect). */
    public int clientCount() {
        return clients.size();
    }

    /** The client's authorisations' count, or -1 when the gateway does not know it. */
    public int authorizationCount(ClientId client) {
        var e = clients.byId(client);
        return e == null ? -1 : e.filter.authorizationCount();
    }

    /** DNS resolutions given up (timeout or bound). */
    public long resolutionsGivenUp() {
        return control.resolutionsGivenUp();
    }

    /**
     * A snapshot of every client, in the order they were added, with its connection (for status pages:
     * allocates). Reads only.
     */
    public List<ClientDetails> clientDetails() {
        List<ClientDetails> all = new java.util.ArrayList<>(clients.size());
        for (var e : clients.all()) {
            zonegate.node.ConnectionDetails c = node.connectionDetails(e.id.value());
            all.add(new ClientDetails(e.id, e.spec.publicKey(), e.spec.addresses(), c == null ? null : c.endpoint(),
                    c == null ? zonegate.wireguard.Tunnel.NEVER : c.lastHandshakeNs(), c == null ? 0 : c.rxBytes(),
                    c == null ? 0 : c.txBytes(), e.filter.authorizations(), e.nat == null ? 0 : e.nat.size(), c));
        }
        return all;
    }

    /** The relays and their allocations (for status pages; allocates; no credentials). */
    public List<zonegate.node.RelayDetails> relayDetails() {
        return node.relayDetails();
    }

    private void settle(long now) {
        timers.drainFilterEvents();
        control.expireResolutions(now);
        control.drainNode(now);
    }

    private long advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards: " + nowNs + " < " + lastNowNs;
        lastNowNs = Math.max(lastNowNs, nowNs);
        control.setNow(lastNowNs);
        return lastNowNs;
    }

    private void onBug(String what, RuntimeException bug) {
        queues.count(GatewayDropReason.INTERNAL_ERROR);
        Logger.error(bug, "bug while handling a {}", what);
    }
}
