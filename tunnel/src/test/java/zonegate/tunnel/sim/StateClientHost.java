package zonegate.tunnel.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import zonegate.filter.Authorization;
import zonegate.filter.ClientId;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.ice.Candidate;
import zonegate.node.ConnectionParams;
import zonegate.node.NodeConfig;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.ClientSpec;
import zonegate.tunnel.ClientState;
import zonegate.tunnel.DnsRecords;
import zonegate.tunnel.GatewayAccess;
import zonegate.tunnel.Transmit;

/**
 * A simulated headless client: a {@link ClientState} on one socket, its TUN device the test ({@link #send}
 * writes a packet into it, {@link #tun} is what the client wrote back). The portal part of the control
 * plane is scripted here: a {@link ClientEvent.ConnectionIntent} is answered with the gateway and the
 * authorisation the test granted for the resource ({@link #grant}), through {@link ControlPlane#connect}
 * the first time (new ICE credentials on both sides) and {@link ControlPlane#authorize} while the
 * connection to that gateway lives; a resource granted nowhere is refused. Forwarded DNS queries are
 * answered by {@link #upstream}.
 */
final class StateClientHost implements SimClient {
    /** What the portal answers an intent for a resource with. */
    record Grant(GatewayHost gateway, Authorization authorization) {
    }

    final TunnelSim net;
    final String name;
    final InetSocketAddress socket;
    final Nat nat;
    final String ipv4;
    final String ipv6;
    final BufferPool pool = new BufferPool(2048, 1024, false);
    final ClientState state;
    final Map<ResourceId, Grant> grants = new HashMap<>();
    /** Every IP packet the client wrote to its TUN device, in order. */
    final List<byte[]> tun = new ArrayList<>();
    final List<ClientEvent> events = new ArrayList<>();
    /** The upstream DNS server: a query's bytes to its answer (null: no answer). */
    Function<byte[], byte[]> upstream = query -> null;
    private ResourceId answering;

    StateClientHost(TunnelSim net, String name, TunnelSim.Placement placement, String ipv4, String ipv6,
            DnsRecords records, SplittableRandom random) {
        this.net = net;
        this.name = name;
        this.socket = placement.socket();
        this.nat = placement.nat();
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        this.state = new ClientState(NodeConfig.client(), TunnelSim.key(random), List.of(socket), net.wallClock,
                TunnelSim.seededSecureRandom(random.nextLong()), random.split(), pool, records, net.nowNs);
    }

    /** A client state machine {@code name} on {@code net}, with the tunnel addresses given. */
    static StateClientHost add(TunnelSim net, String name, Nat.Type natType, String ipv4, String ipv6,
            DnsRecords records) {
        StateClientHost c = new StateClientHost(net, name, net.place(natType), ipv4, ipv6, records,
                net.random.split());
        net.hosts.add(c);
        return c;
    }

    /** The control plane's init: tunnel addresses, resources, relays and one upstream DNS server. */
    void init(List<ClientResource> resources, TunnelSim.Relay... relays) {
        state.init(TunnelAddresses.of(ipv4, ipv6), resources,
                java.util.Arrays.stream(relays).map(TunnelSim.Relay::turnServer).toList(),
                List.of(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.53"), 53)), net.nowNs);
    }

    /** The portal grants {@code resource} through {@code gateway} with these filters and expiry. */
    void grant(ClientResource resource, GatewayHost gateway, Authorization authorization) {
        grants.put(resource.id(), new Grant(gateway, authorization));
    }

    /** Writes an IP packet into the client's TUN device. */
    void send(byte[] packet) {
        state.handleDeviceInput(ByteBuffer.wrap(packet), net.nowNs);
    }

    /** What came out of the TUN device since {@code mark} (a size of {@link #tun} taken before). */
    List<byte[]> tunSince(int mark) {
        return List.copyOf(tun.subList(mark, tun.size()));
    }

    <T extends ClientEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The latest value of a latest-value event, or null. */
    <T extends ClientEvent> T latest(Class<T> type) {
        List<T> all = eventsOf(type);
        return all.isEmpty() ? null : all.getLast();
    }

    @Override
    public ClientSpec spec() {
        return new ClientSpec(ClientId.of(name), state.publicKey(), null, TunnelAddresses.of(ipv4, ipv6));
    }

    @Override
    public void upsertGateway(GatewayHost gateway, ConnectionParams params) {
        state.authorizationCreated(new GatewayAccess(answering, gateway.name, params.peerKey(),
                TunnelAddresses.of(GatewayHost.TUNNEL_V4, GatewayHost.TUNNEL_V6), params.presharedKey(),
                params.localCredentials(), params.remoteCredentials()), net.nowNs);
    }

    @Override
    public void addRemoteCandidate(GatewayHost gateway, Candidate candidate) {
        state.addRemoteCandidates(gateway.name, List.of(candidate), net.nowNs);
    }

    @Override
    public void removeRemoteCandidate(GatewayHost gateway, Candidate candidate) {
        state.removeRemoteCandidates(gateway.name, List.of(candidate), net.nowNs);
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
            net.send(socket, t.destination(), t.buffer().buffer(), nat);
            pool.release(t.buffer());
        }
        for (PooledBuffer p; (p = state.pollPacket()) != null; any = true) {
            ByteBuffer b = p.buffer();
            byte[] packet = new byte[b.remaining()];
            b.get(b.position(), packet);
            pool.release(p);
            tun.add(packet);
        }
        for (ClientEvent e; (e = state.pollEvent()) != null; any = true) {
            events.add(e);
            onEvent(e, nowNs);
        }
        return any;
    }

    private void onEvent(ClientEvent event, long nowNs) {
        switch (event) {
            case ClientEvent.ConnectionIntent(var resource, var preferred) -> answerIntent(resource, nowNs);
            case ClientEvent.CandidatesChanged(var gateway, var added, var removed) ->
                    net.controlPlane.onClientCandidates(this, gateway, added, removed);
            case ClientEvent.DnsQuery(long id, var server, byte[] message) -> {
                byte[] answer = upstream.apply(message);
                state.handleUpstreamDnsResponse(id, answer == null ? null : ByteBuffer.wrap(answer), nowNs);
            }
            case ClientEvent.TunConfigChanged c -> { }
            case ClientEvent.SitesChanged c -> { }
            case ClientEvent.DnsRecordsChanged c -> { }
            case ClientEvent.PublicKeyChanged c -> { }
            case ClientEvent.NoRelays c -> { }
        }
    }

    private void answerIntent(ResourceId resource, long nowNs) {
        Grant grant = grants.get(resource);
        if (grant == null) {
            state.authorizationCreationFailed(resource, true, nowNs);
            return;
        }
        answering = resource;
        if (state.connectionState(grant.gateway().name) != null) {
            ControlPlane.Session s = net.controlPlane.session(this, grant.gateway());
            net.controlPlane.authorize(this, grant.gateway(), grant.authorization());
            upsertGateway(grant.gateway(), new ConnectionParams(grant.gateway().state.publicKey(), null,
                    s.clientIce(), s.gatewayIce()));
        } else {
            net.controlPlane.connect(this, grant.gateway(), grant.authorization());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
