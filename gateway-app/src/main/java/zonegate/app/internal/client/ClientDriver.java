package zonegate.app.internal.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tinylog.Logger;
import zonegate.controlplane.PortalEvent;
import zonegate.app.internal.observe.StateMetrics;
import zonegate.app.internal.observe.StateSnapshot;
import zonegate.app.internal.portal.PortalLink;
import zonegate.app.internal.portal.WireMapping;
import zonegate.controlplane.PortalMessage;
import zonegate.ice.Candidate;
import zonegate.packet.PooledBuffer;
import zonegate.shell.loop.Outbound;
import zonegate.shell.loop.StateMachineDriver;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.ClientState;
import zonegate.tunnel.DnsRecords;
import zonegate.tunnel.SiteStatus;
import zonegate.tunnel.TransmitSink;
import zonegate.tunnel.TunConfig;
import zonegate.wireguard.PublicKey;

/**
 * Drives {@link ClientState} from the event loop. In: datagrams of the node's sockets, answers on the DNS
 * sockets, packets from the TUN device, and the portal's frames as {@link PortalEvent} commands. Out, after
 * every input: datagrams to the node socket of the destination's family, packets to the TUN device, and the
 * events: a connection intent or local candidates go to the portal through the {@link PortalLink}; a
 * {@link TunConfig} is applied to the device ({@link DeviceRoutes}: addresses and routes by difference) and to
 * the host's DNS ({@link SystemDns}); a forwarded DNS query leaves on the DNS socket of its upstream's family
 * and its answer comes back through {@link ClientState#handleUpstreamDnsResponse}; site changes are logged.
 *
 * <p>Runs only on the state thread, but outlives an event loop: at a reset the runtime stops the loop with
 * {@link #handOver()}, gives the driver new sockets ({@link #rebind}) and starts a new loop with it.
 */
final class ClientDriver implements StateMachineDriver {
    /** What the runtime does about what the driver learns. Called on the state thread: must not block. */
    interface Host {
        /** A reset rotated the WireGuard key: reconnect to the portal with it. */
        void onPublicKeyChanged(PublicKey publicKey);

        /** The portal refused our token: stop. */
        void onRefused(String reason);
    }

    private final ClientState state;
    private final PortalLink portal;
    private final PortalInbound inbound;
    private final DeviceRoutes routes;
    private final SystemDns systemDns;
    private final DnsForwarder forwarder;
    private final Host host;
    private final TransmitSink transmitSink = this::transmit;
    private final Map<String, SiteStatus> sites = new HashMap<>();
    private SocketLayout layout;
    private boolean resetPending;
    private volatile boolean handingOver;
    private Outbound outbound;
    private boolean portalUp;
    private List<InetAddress> dnsServers = List.of();
    private DnsRecords records = DnsRecords.EMPTY;
    private long unroutableTransmits;

    ClientDriver(ClientState state, PortalLink portal, DeviceRoutes routes, SystemDns systemDns,
            DnsForwarder forwarder, SocketLayout layout, Host host) {
        this.state = state;
        this.portal = portal;
        this.inbound = new PortalInbound(state);
        this.routes = routes;
        this.systemDns = systemDns;
        this.forwarder = forwarder;
        this.layout = Objects.requireNonNull(layout, "layout");
        this.host = host;
    }

    /**
     * Between two loops (none running): the next loop's sockets. With {@code reset} the state machine is reset
     * onto them when that loop starts (a new key, every connection dropped).
     */
    void rebind(SocketLayout next, boolean reset) {
        this.layout = next;
        this.resetPending = reset;
        this.handingOver = false;
    }

    /** The loop about to be closed is replaced: its {@link #onStop} must not sign out. From any thread. */
    void handOver() {
        handingOver = true;
    }

    @Override
    public void onStart(Outbound loopOutbound, long nowNs) {
        this.outbound = loopOutbound;
        if (resetPending) {
            resetPending = false;
            forwarder.clear();
            state.reset(layout.nodeAddresses(), nowNs);
        }
        drainOutputs(nowNs);
    }

    @Override
    public void onCommand(Object command, long nowNs) {
        if (command instanceof PortalEvent input) {
            onPortal(input, nowNs);
        } else if (command instanceof StateSnapshot.Request request) {
            request.answer(out -> StateMetrics.client(state, out));
        } else {
            Logger.debug("unknown command ignored: {}", command);
        }
        drainOutputs(nowNs);
    }

    @Override
    public boolean onDatagram(int socketIndex, InetSocketAddress from, PooledBuffer datagram, long nowNs) {
        InetSocketAddress local = layout.nodeAddress(socketIndex);
        if (local != null) {
            state.handleNetworkInput(local, from, datagram.buffer(), nowNs);
        } else if (layout.isDns(socketIndex)) {
            DnsForwarder.Answer answer = forwarder.match(from, datagram.buffer());
            if (answer != null) {
                state.handleUpstreamDnsResponse(answer.queryId(), datagram.buffer(), nowNs);
            }
        }
        drainOutputs(nowNs);
        return false;
    }

    @Override
    public boolean onDevicePacket(int queueIndex, PooledBuffer packet, long nowNs) {
        state.handleDeviceInput(packet.buffer(), nowNs);
        drainOutputs(nowNs);
        return false;
    }

    @Override
    public void onTimeout(long nowNs) {
        forwarder.expire(nowNs);
        state.handleTimeout(nowNs);
        drainOutputs(nowNs);
    }

    @Override
    public long nextDeadlineNs() {
        return Math.min(state.pollTimeout(), forwarder.nextExpiryNs());
    }

    /** A graceful stop signs out (a goodbye to every gateway, flushed by the loop); a hand-over does nothing. */
    @Override
    public void onStop(long nowNs) {
        if (!handingOver) {
            state.signOut(nowNs);
            drainOutputs(nowNs);
        }
    }

    /** The proxy addresses handed out so far (for a later session of this process). */
    DnsRecords dnsRecords() {
        return records;
    }

    /** Datagrams for which no socket of the destination's family is open. */
    long unroutableTransmits() {
        return unroutableTransmits;
    }

    private void onPortal(PortalEvent input, long nowNs) {
        switch (input) {
            case PortalEvent.Connected() -> {
                if (!portalUp) {
                    Logger.info("connected to the portal");
                }
                portalUp = true;
            }
            case PortalEvent.Message(var frame) -> {
                if (frame.message() instanceof PortalMessage.ToClient message) {
                    inbound.onMessage(message, nowNs);
                } else {
                    Logger.debug("ignored a {} frame, which is not for a client", frame.message().event());
                }
            }
            case PortalEvent.Disconnected(String reason) -> {
                if (portalUp) {
                    Logger.info("lost the portal connection ({}): reconnecting; connected gateways keep working",
                            reason);
                }
                portalUp = false;
            }
            case PortalEvent.Refused(String reason) -> {
                Logger.warn("the portal refused this client: {}", reason);
                host.onRefused(reason);
            }
        }
    }

    private void drainOutputs(long nowNs) {
        while (true) {
            state.drainTransmits(transmitSink, Integer.MAX_VALUE);
            PooledBuffer packet;
            while ((packet = state.pollPacket()) != null) {
                outbound.writeToDevice(0, packet);
            }
            ClientEvent event = state.pollEvent();
            if (event == null) {
                return;
            }
            onEvent(event, nowNs);
        }
    }

    private void onEvent(ClientEvent event, long nowNs) {
        switch (event) {
            case ClientEvent.ConnectionIntent(var rid, List<String> preferred) -> {
                Logger.debug("rid={} asking the portal for access", rid);
                portal.send(new PortalMessage.RequestAuthorization(rid.value(), preferred));
            }
            case ClientEvent.CandidatesChanged(String gid, List<Candidate> added, List<Candidate> removed) -> {
                for (List<String> lines : chunks(WireMapping.candidateLines(added))) {
                    portal.send(new PortalMessage.NewGatewayIceCandidates(List.of(gid), lines));
                }
                for (List<String> lines : chunks(WireMapping.candidateLines(removed))) {
                    portal.send(new PortalMessage.InvalidatedGatewayIceCandidates(List.of(gid), lines));
                }
            }
            case ClientEvent.DnsQuery(long queryId, InetSocketAddress upstream, byte[] message) ->
                    forward(queryId, upstream, message, nowNs);
            case ClientEvent.TunConfigChanged(TunConfig config) -> applyTunConfig(config);
            case ClientEvent.SitesChanged(Map<String, SiteStatus> statusBySite) -> logSites(statusBySite);
            case ClientEvent.DnsRecordsChanged(DnsRecords latest) -> records = latest;
            case ClientEvent.PublicKeyChanged(PublicKey key) -> {
                Logger.info("new public key {} after a reset: reconnecting to the portal", key);
                host.onPublicKeyChanged(key);
            }
            case ClientEvent.NoRelays() -> {
                Logger.warn("no relay left: gateways behind symmetric NATs cannot be reached until one comes back");
                portal.send(new PortalMessage.NoRelays());
            }
        }
    }

    private void forward(long queryId, InetSocketAddress upstream, byte[] message, long nowNs) {
        int socket = layout.dnsFor(upstream);
        PooledBuffer buffer = socket < 0 ? null : outbound.acquire();
        if (buffer == null) {
            Logger.debug("DNS query to {} not sent: {}", upstream, socket < 0 ? "no socket of its family" : "no buffer");
            state.handleUpstreamDnsResponse(queryId, null, nowNs);
            return;
        }
        if (!forwarder.prepare(queryId, upstream, message, buffer.buffer(), nowNs)) {
            buffer.pool().release(buffer);
            state.handleUpstreamDnsResponse(queryId, null, nowNs);
            return;
        }
        outbound.sendDatagram(socket, upstream, buffer);
    }

    private void applyTunConfig(TunConfig config) {
        routes.apply(config);
        List<InetAddress> servers = new ArrayList<>(config.dnsBySentinel().keySet());
        if (!servers.equals(dnsServers)) {
            try {
                systemDns.useServers(servers);
                dnsServers = servers;
                Logger.info("the system's DNS now goes to the stub resolver at {}", servers);
            } catch (IOException e) {
                Logger.warn("could not point the system's DNS at {}: {}", servers, e.getMessage());
            }
        }
    }

    private void logSites(Map<String, SiteStatus> statusBySite) {
        statusBySite.forEach((site, status) -> {
            if (sites.put(site, status) != status) {
                Logger.info("site {} is {}", site, status.name().toLowerCase(java.util.Locale.ROOT));
            }
        });
        sites.keySet().retainAll(statusBySite.keySet());
    }

    private void transmit(InetSocketAddress destination, PooledBuffer buffer) {
        int socket = layout.nodeFor(destination);
        if (socket < 0) {
            unroutableTransmits++;
            buffer.pool().release(buffer);
            return;
        }
        outbound.sendDatagram(socket, destination, buffer);
    }

    private static List<List<String>> chunks(List<String> lines) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += PortalMessage.MAX_CANDIDATES) {
            chunks.add(lines.subList(from, Math.min(lines.size(), from + PortalMessage.MAX_CANDIDATES)));
        }
        return chunks;
    }
}
