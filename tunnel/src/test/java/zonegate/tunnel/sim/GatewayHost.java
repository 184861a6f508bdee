package zonegate.tunnel.sim;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import zonegate.filter.TunnelAddresses;
import zonegate.node.NodeConfig;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.AuthorizationRef;
import zonegate.tunnel.GatewayConfig;
import zonegate.tunnel.GatewayEvent;
import zonegate.tunnel.IceGatewayState;
import zonegate.tunnel.Transmit;

/**
 * A simulated ICE-mode gateway: an {@link IceGatewayState} on one socket, its TUN side a {@link Site}, and
 * a DNS resolver map that answers {@link GatewayEvent.ResolveDomain} with
 * {@link IceGatewayState#domainResolved} (a domain not in the map is never answered). Its events go to the
 * control plane and are recorded.
 */
final class GatewayHost implements SimHost {
    static final String TUNNEL_V4 = "100.64.0.1";
    static final String TUNNEL_V6 = "fd00:2021:1111::1";

    final TunnelSim net;
    final String name;
    final InetSocketAddress socket;
    final Nat nat;
    final BufferPool pool = new BufferPool(2048, 1024, false);
    final IceGatewayState state;
    final Site site = new Site();
    /** The resolver: a domain's A and AAAA answer; a domain not here is never answered. */
    final Map<String, List<InetAddress>> resolver = new HashMap<>();
    final List<GatewayEvent> events = new ArrayList<>();
    /** Every datagram the gateway sent, in order. */
    final List<InetSocketAddress> sentTo = new ArrayList<>();

    GatewayHost(TunnelSim net, String name, TunnelSim.Placement placement, SplittableRandom random) {
        this.net = net;
        this.name = name;
        this.socket = placement.socket();
        this.nat = placement.nat();
        GatewayConfig config = GatewayConfig.defaults((Inet4Address) SimPackets.ip(TUNNEL_V4),
                (Inet6Address) SimPackets.ip(TUNNEL_V6));
        this.state = new IceGatewayState(config, NodeConfig.server(), TunnelSim.key(random), List.of(socket),
                net.wallClock, TunnelSim.seededSecureRandom(random.nextLong()), random.split(), pool, net.nowNs);
    }

    /** The control plane's init: the gateway's addresses, these relays, and no authorisation yet. */
    void init(TunnelSim.Relay... relays) {
        init(List.of(), relays);
    }

    /** The control plane's init with its full list of authorisations. */
    void init(List<AuthorizationRef> authorizations, TunnelSim.Relay... relays) {
        state.init(TunnelAddresses.of(TUNNEL_V4, TUNNEL_V6), Arrays.stream(relays)
                .map(TunnelSim.Relay::turnServer).toList(), authorizations, net.nowNs);
    }

    <T extends GatewayEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress socket() {
        return socket;
    }

    @Override
    public Nat nat() {
        return nat;
    }

    @Override
    public void receive(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        state.handleNetworkInput(socket, from, datagram, nowNs);
    }

    @Override
    public long pollTimeout() {
        return state.pollTimeout();
    }

    @Override
    public void handleTimeout(long nowNs) {
        state.handleTimeout(nowNs);
    }

    @Override
    public boolean drain(long nowNs) {
        boolean any = false;
        for (Transmit t; (t = state.pollTransmit()) != null; any = true) {
            sentTo.add(t.destination());
            net.send(socket, t.destination(), t.buffer().buffer(), nat);
            pool.release(t.buffer());
        }
        for (PooledBuffer p; (p = state.pollPacket()) != null; any = true) {
            ByteBuffer b = p.buffer();
            byte[] packet = new byte[b.remaining()];
            b.get(b.position(), packet);
            pool.release(p);
            byte[] answer = site.onPacket(packet);
            if (answer != null) {
                state.handleDeviceInput(ByteBuffer.wrap(answer), nowNs);
            }
        }
        for (GatewayEvent e; (e = state.pollEvent()) != null; any = true) {
            events.add(e);
            onEvent(e, nowNs);
        }
        return any;
    }

    private void onEvent(GatewayEvent event, long nowNs) {
        switch (event) {
            case GatewayEvent.ResolveDomain(var client, var resource, var domain) -> {
                List<InetAddress> answer = resolver.get(domain);
                if (answer != null) {
                    state.domainResolved(client, domain, answer, nowNs);
                }
            }
            case GatewayEvent.CandidatesChanged changed -> net.controlPlane.onGatewayCandidates(this, changed);
            case GatewayEvent.ClientConnected c -> { }
            case GatewayEvent.ClientSessionExpired c -> { }
            case GatewayEvent.AuthorizationExpired c -> { }
            case GatewayEvent.NoAuthorizationLeft c -> { }
            case GatewayEvent.AuthorizationCreated c -> { }
            case GatewayEvent.ConnectionLost c -> { }
            case GatewayEvent.NoRelays c -> { }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
