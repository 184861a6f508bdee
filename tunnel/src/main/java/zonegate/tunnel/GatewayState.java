package zonegate.tunnel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.filter.Authorization;
import zonegate.filter.ClientId;
import zonegate.filter.CommandResult;
import zonegate.filter.FilterEngine;
import zonegate.filter.GatewayServices;
import zonegate.filter.TunnelAddresses;
import zonegate.nat64.SharedPortSpace;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.internal.ClientEntry;
import zonegate.tunnel.internal.ClientTable;
import zonegate.tunnel.internal.DataPlane;
import zonegate.tunnel.internal.DeviceLinks;
import zonegate.tunnel.internal.DeviceTimers;
import zonegate.tunnel.internal.DnsResources;
import zonegate.tunnel.internal.InboundPath;
import zonegate.tunnel.internal.OutboundPath;
import zonegate.tunnel.internal.OutputQueues;
import zonegate.tunnel.internal.Timers;
import zonegate.wireguard.Device;
import zonegate.wireguard.DropReason;
import zonegate.wireguard.HandshakeCounter;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.PublicKey;

/**
 * The gateway for directly connected WireGuard clients, as a sans-IO state machine (DESIGN.md section
 * 2): a WireGuard {@link Device} whose every client is a responder-only peer, the filter engine that
 * decides each packet, and per client a DNS-resource NAT (with NAT64/NAT46). Nothing here reads a clock,
 * starts a thread or touches a socket; time comes in as {@code nowNs} (monotonic, never backwards).
 *
 * <h2>Driving it (the shell's duty cycle)</h2>
 * <pre>{@code
 * GatewayState gw = new GatewayState(config, privateKey, InstantSource.system(), new SecureRandom(),
 *         RandomGenerator.of("L64X128MixRandom"), pool, nanoTime());
 * gw.applyPolicy(clients, authorizations, nowNs);              // control plane: init, then on reload
 * // each cycle, with one clock sample nowNs:
 * if (nowNs >= gw.pollTimeout()) gw.handleTimeout(nowNs);
 * for (datagram from UDP, up to a limit) gw.handleNetworkInput(from, datagram, nowNs);   // caller keeps its buffer
 * for (packet from TUN, up to a limit)   gw.handleDeviceInput(packet, nowNs);            // caller keeps its buffer
 * gw.drainTransmits((to, buf) -> udpWriter.offer(to, buf), limit);  // buf is now the writer's: release after send
 * for (PooledBuffer p; (p = gw.pollPacket()) != null; ) tunWriter.offer(p);             // likewise
 * for (GatewayEvent e; (e = gw.pollEvent()) != null; ) controlPlane.report(e);
 * park until min(gw.pollTimeout(), next input)
 * }</pre>
 * Inputs never keep the caller's buffer (a device packet may be rewritten in place); every output is a
 * {@link PooledBuffer} from the pool given here whose ownership passes to the caller of
 * {@link #pollTransmit}, {@link #drainTransmits} or {@link #pollPacket}, with its bytes at
 * {@code [position, limit)}. The pool's buffers must hold an MTU-sized packet plus 80 bytes.
 *
 * <h2>What it guarantees</h2>
 * It never initiates a handshake and never buffers a packet for a client without a session (dropped and
 * counted: {@link GatewayDropReason#NO_SESSION}). A client's packets must come from its own tunnel
 * addresses. To the gateway's own tunnel addresses only ping, DNS and {@link GatewayConfig#gatewayServices()}
 * pass (the host answers ping and runs the DNS server there); other packets need an unexpired
 * authorisation (a destination inside the site's NAT64 prefix is decided as the IPv4 address it embeds),
 * or are answered with ICMP network unreachable / administratively prohibited; a client's ICMP error
 * passes only about one of its own flows. From the TUN device, a client gets only what belongs to a flow
 * it opened: replies, ICMP errors about its flows, its own DNS-resource NAT flows
 * ({@link GatewayDropReason#UNSOLICITED_INBOUND} otherwise). Every queue is bounded and counts what it
 * drops; bad input is counted, never thrown. No allocation per packet once warm (except trace logs and
 * {@link #pollTransmit()}'s record).
 *
 * <p>Not thread-safe: one thread makes every call, including the DNS methods.
 */
public final class GatewayState {
    private static final int MIN_EXTRA_BUFFER_BYTES = 80;

    private final Device device;
    private final ClientTable clients;
    private final OutputQueues queues;
    private final DataPlane dataPlane;
    private final OutboundPath outbound;
    private final InboundPath inbound;
    private final DnsResources dns;
    private final Timers timers;
    private final DeviceTimers deviceTimers;
    private long lastNowNs;

    /**
     * @param privateKey the gateway's WireGuard key (copied)
     * @param wallClock for TAI64N timestamps and Unix-seconds expiries only
     * @param secureRandom ephemeral keys and cookie secrets
     * @param random receiver indices, jitter, NAT hash seeds and ports (seed it for reproducible runs)
     * @param pool where every output buffer comes from
     * @param nowNs the current monotonic time
     * @throws IllegalArgumentException if the pool's buffers are too small for the MTU
     */
    public GatewayState(GatewayConfig config, PrivateKey privateKey, InstantSource wallClock, SecureRandom secureRandom,
                        RandomGenerator random, BufferPool pool, long nowNs) {
        Objects.requireNonNull(config, "config");
        if (pool.bufferSizeBytes() < config.mtuBytes() + MIN_EXTRA_BUFFER_BYTES) {
            throw new IllegalArgumentException("pool buffers of " + pool.bufferSizeBytes() + " bytes cannot hold "
                    + config.mtuBytes() + " + " + MIN_EXTRA_BUFFER_BYTES);
        }
        this.device = new Device(privateKey, config.wireGuard().withMtuBytes(config.mtuBytes()), wallClock,
                secureRandom, random, nowNs);
        FilterEngine engine = new FilterEngine(config.filter(), wallClock);
        SharedPortSpace ports = new SharedPortSpace(config.natPortSpaceCapacity(), config.natReservedFlowsPerClient(),
                config.maxNatFlowsPerClient(), random);
        TunnelAddresses gateway = TunnelAddresses.of(config.tunnelIpv4(), config.tunnelIpv6());
        this.queues = new OutputQueues(pool, config.transmitQueueCapacity(), config.packetQueueCapacity(),
                config.eventQueueCapacity());
        DeviceLinks links = new DeviceLinks(device, pool, queues);
        this.clients = new ClientTable(config, links, engine, ports, random, gateway);
        this.dataPlane = new DataPlane(config, pool, device, links, engine, ports, clients, queues, gateway.ipv4(),
                gateway.ipv6High(), gateway.ipv6Low());
        this.outbound = new OutboundPath(dataPlane);
        this.inbound = new InboundPath(dataPlane);
        this.dns = new DnsResources(clients, wallClock, config);
        this.timers = new Timers(dataPlane, cid -> { });
        this.deviceTimers = new DeviceTimers(dataPlane);
        this.lastNowNs = nowNs;
        Logger.info("gateway started: peer={} tunnel addresses {}", device.publicKey(), gateway);
    }

    /** The gateway's WireGuard public key (what clients configure as their peer). */
    public PublicKey publicKey() {
        return device.publicKey();
    }

    // ---- commands ------------------------------------------------------------------------------

    /**
     * Adds a client, or updates one: a changed preshared key or tunnel addresses keep its session
     * (addresses moving resets its filter flows and NAT flows); a changed public key closes the old
     * session (the new key must handshake).
     */
    public UpsertResult upsertClient(ClientSpec spec, long nowNs) {
        advance(nowNs);
        UpsertResult result = clients.upsert(spec, nowNs);
        dataPlane.denials.clear();
        return result;
    }

    /** Removes a client: its session, authorisations, NAT flows and proxy addresses. */
    public boolean removeClient(ClientId id, long nowNs) {
        advance(nowNs);
        return clients.remove(id, nowNs);
    }

    /**
     * Replaces a client's authorisations (refused whole beyond the filter engine's bounds).
     *
     * @return the filter engine's result, or null when there is no such client
     */
    public CommandResult replaceAuthorizations(ClientId id, List<Authorization> authorizations, long nowNs) {
        advance(nowNs);
        CommandResult result = clients.replaceAuthorizations(id, authorizations, nowNs);
        dataPlane.denials.clear();
        return result;
    }

    /**
     * Brings the gateway to a full desired state (a control plane's init or reload): adds new clients,
     * updates changed ones, removes those not listed, and replaces authorisation lists that differ (as
     * sets). A client whose spec and authorisations are unchanged is not touched at all: its session,
     * counters, filter flows and NAT flows carry on.
     *
     * @param authorizations per client; a listed client without an entry has no authorisation
     */
    public PolicyResult applyPolicy(List<ClientSpec> desiredClients, Map<ClientId, List<Authorization>> authorizations,
                                    long nowNs) {
        advance(nowNs);
        PolicyResult result = clients.apply(desiredClients, authorizations, nowNs);
        dataPlane.denials.clear();
        return result;
    }

    /**
     * Replaces what clients may send to the gateway's own tunnel addresses (a reload of
     * {@code allowToGateway}); from the next packet on. Flows already open to a service no longer
     * offered take the host's replies until they idle out, but the client's packets are refused.
     */
    public void setGatewayServices(GatewayServices services, long nowNs) {
        advance(nowNs);
        dataPlane.gatewayServices = Objects.requireNonNull(services, "services");
        dataPlane.denials.clear();
    }

    // ---- inputs --------------------------------------------------------------------------------

    /**
     * A WireGuard datagram from a client arrived; its remaining bytes are consumed (the caller keeps the
     * buffer). Handshakes are answered (to {@code from}), data is decrypted, checked and routed.
     */
    public void handleNetworkInput(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        advance(nowNs);
        try {
            outbound.onDatagram(from, datagram, nowNs);
        } catch (RuntimeException bug) {
            onBug("datagram from " + from, bug);
        }
        deviceTimers.drainDeviceEvents();
    }

    /**
     * An IP packet from the TUN device (its remaining bytes; consumed, possibly rewritten in place, the
     * caller keeps the buffer): for the client whose tunnel address it is sent to.
     */
    public void handleDeviceInput(ByteBuffer packet, long nowNs) {
        advance(nowNs);
        try {
            inbound.onPacket(packet, nowNs);
        } catch (RuntimeException bug) {
            onBug("device packet", bug);
        }
    }

    /** Runs what is due at {@code nowNs}: WireGuard timers, authorisation expiry, NAT flow expiry. */
    public void handleTimeout(long nowNs) {
        advance(nowNs);
        deviceTimers.handleTimeout(nowNs);
        timers.handleTimeout(nowNs);
    }

    // ---- outputs -------------------------------------------------------------------------------

    /** The next datagram to send, or null. Allocates the {@link Transmit}; {@link #drainTransmits} does not. */
    public Transmit pollTransmit() {
        return queues.pollTransmit();
    }

    /** Hands up to {@code limit} queued datagrams to {@code sink}, in order; returns how many. */
    public int drainTransmits(TransmitSink sink, int limit) {
        return queues.drainTransmits(sink, limit);
    }

    /** The next IP packet for the TUN device (at [position, limit); ownership passes), or null. */
    public PooledBuffer pollPacket() {
        return queues.pollPacket();
    }

    /** The next event, or null. */
    public GatewayEvent pollEvent() {
        return queues.pollEvent();
    }

    /** The earliest deadline in ns at which {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        return Math.min(deviceTimers.pollTimeout(), timers.pollTimeout());
    }

    /** What {@link #pollTimeout()} is for, for logs; null when nothing is due. */
    public String pollTimeoutReason() {
        return deviceTimers.pollTimeout() <= timers.pollTimeout() && deviceTimers.pollTimeout() != Long.MAX_VALUE
                ? "wireguard timer" : timers.pollTimeoutReason();
    }

    // ---- DNS resources (for the shell's DNS server, on this thread) -----------------------------

    /**
     * How to answer a query for {@code name} from {@code clientSource} (the query's source address, one of
     * a client's tunnel addresses). Names are case-insensitive; a trailing dot is ignored.
     */
    public DnsPlan planDnsQuery(InetAddress clientSource, String name, long nowNs) {
        advance(nowNs);
        return dns.plan(clientSource, name, nowNs);
    }

    /**
     * Maps the client's proxy addresses for {@code domain} (4 IPv4 from 100.96.0.0/11, 4 IPv6 from
     * fd00:2021:1111:8000::/107) to {@code resolved} in its NAT table: packets to proxy address {@code i}
     * go to resolved address {@code i mod n} of the same family, or of the other family through
     * NAT64/NAT46. Calling it again (re-resolution) updates the resolved addresses and keeps the proxies.
     *
     * <p>Refused ({@link DnsAssignment.Refused}): an unknown client or invalid name; an answer with any
     * address in the tunnel or proxy ranges, loopback, link-local, unspecified, multicast or broadcast, or
     * one of the gateway's own addresses or {@link DnsResourceConfig#refusedTargets()} (also in IPv4-mapped
     * or 64:ff9b::/96 form), unless an unexpired CIDR resource of the client covers it (refused whole,
     * logged once per client and domain at WARN); a full pool: at most
     * {@link GatewayConfig#maxDomainsPerClient()} domains, and when full the least recently answered domain
     * with no live NAT flow and unused for {@link DnsResourceConfig#proxyQuarantineNs()} gives its
     * addresses to the new name (its old name then gets new ones when asked again).
     */
    public DnsAssignment assignDns(InetAddress clientSource, String domain, List<? extends InetAddress> resolved,
                                   long nowNs) {
        advance(nowNs);
        return dns.assign(clientSource, domain, resolved, nowNs);
    }

    /** {@link #assignDns} for callers that need no reason: the proxies, or null when refused. */
    public ProxyAddresses assignDnsProxies(InetAddress clientSource, String domain,
                                           List<? extends InetAddress> resolved, long nowNs) {
        return assignDns(clientSource, domain, resolved, nowNs) instanceof DnsAssignment.Assigned(var proxies)
                ? proxies : null;
    }

    /** The client whose tunnel address {@code source} is (for the DNS server's per-client bounds), or null. */
    public ClientId dnsClient(InetAddress source) {
        ClientEntry e = dns.client(source);
        return e == null ? null : e.id;
    }

    // ---- counters and status ---------------------------------------------------------------------

    /** Datagrams and packets dropped for {@code reason}. */
    public long dropCount(GatewayDropReason reason) {
        return queues.dropCount(reason);
    }

    /** WireGuard's own drop counter for {@code reason} (handshakes and transport, all clients). */
    public long wireGuardDropCount(DropReason reason) {
        return device.dropCount(reason);
    }

    /** WireGuard's handshake messages written or accepted (all clients). */
    public long handshakeCount(HandshakeCounter counter) {
        return device.handshakeCount(counter);
    }

    /** Cookie replies sent to initiators while under load. */
    public long cookieRepliesSent() {
        return device.cookieRepliesSent();
    }

    /** Client packets a filter decision allowed; the denials are {@link #dropCount} reasons. */
    public long filterAllowedCount() {
        return dataPlane.filterAllowed;
    }

    /** Flows in the clients' DNS-resource NAT tables. */
    public long natFlowCount() {
        return dataPlane.natFlowCount();
    }

    /** Events dropped because the event queue was full. */
    public long eventsDropped() {
        return queues.eventsDropped();
    }

    /** Proxy-address assignments refused, for any reason. */
    public long refusedDnsAssignments() {
        return dns.refusedAssignments();
    }

    /** Proxy-address assignments refused for {@code reason}. */
    public long refusedDnsAssignments(DnsAssignment.Reason reason) {
        return dns.refusedAssignments(reason);
    }

    /** Proxy slots given to a new name after their old domain's quarantine. */
    public long reclaimedDnsProxySlots() {
        return dns.reclaimedSlots();
    }

    public int clientCount() {
        return clients.size();
    }

    /** A snapshot of a client's state, or null. */
    public ClientStatus clientStatus(ClientId id) {
        ClientEntry e = clients.byId(id);
        if (e == null) {
            return null;
        }
        return new ClientStatus(id, e.tunnel.hasSendableSession(), e.tunnel.handshakesCompleted(),
                e.tunnel.rxPackets(), e.tunnel.txPackets(), e.filter.authorizationCount(),
                e.dns == null ? 0 : e.dns.size(), e.nat == null ? 0 : e.nat.size());
    }

    /**
     * A snapshot of every client, in the order they were added (for status pages: allocates, 1-2 ms per
     * 1,000 clients). Reads only.
     */
    public List<ClientDetails> clientDetails() {
        List<ClientDetails> all = new java.util.ArrayList<>(clients.size());
        for (ClientEntry e : clients.all()) {
            all.add(new ClientDetails(e.id, e.spec.publicKey(), e.spec.addresses(), e.tunnel.endpoint(),
                    e.tunnel.lastHandshakeNs(), e.tunnel.rxBytes(), e.tunnel.txBytes(), e.filter.authorizations(),
                    e.nat == null ? 0 : e.nat.size(), null));
        }
        return all;
    }

    private void advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards: " + nowNs + " < " + lastNowNs;
        lastNowNs = Math.max(lastNowNs, nowNs);
    }

    private void onBug(String what, RuntimeException bug) {
        queues.count(GatewayDropReason.INTERNAL_ERROR);
        Logger.error(bug, "bug while handling a {}", what);
    }
}
