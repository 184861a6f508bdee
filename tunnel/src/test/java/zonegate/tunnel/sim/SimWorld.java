package zonegate.tunnel.sim;

import static zonegate.tunnel.sim.TunnelSim.MS;
import static zonegate.tunnel.sim.TunnelSim.S;

import java.util.List;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.node.ConnectionState;

/**
 * The usual world of a gateway simulation: one relay, one ICE-mode gateway that knows it, one client node
 * using it, and the control plane's connection between them with the given authorisations, run until both
 * ends are connected.
 */
record SimWorld(TunnelSim net, TunnelSim.Relay relay, GatewayHost gateway, ClientHost client) {
    static final String OFFICE_HOST = "10.20.0.5";

    /** Everything in 10.20.0.0/16. */
    static Resource office() {
        return new Resource.CidrRange(ResourceId.of("office"), Cidr.parse("10.20.0.0/16"));
    }

    static Authorization permanent(Resource resource, Filter... filters) {
        return Authorization.permanent(resource, List.of(filters));
    }

    /** Relay, gateway and client placed and told about the relay; not connected yet. */
    static SimWorld unconnected(long seed, Nat.Type clientNat, Nat.Type gatewayNat) {
        TunnelSim net = new TunnelSim(seed);
        TunnelSim.Relay relay = net.relay("198.51.100.2");
        GatewayHost gateway = net.gateway("gateway", gatewayNat);
        gateway.init(relay);
        ClientHost client = net.client("alice", clientNat);
        client.useRelays(relay);
        net.runFor(200 * MS);
        return new SimWorld(net, relay, gateway, client);
    }

    /** {@link #unconnected}, then connected with {@code authorizations} and run until both ends are up. */
    static SimWorld connected(long seed, Nat.Type clientNat, Nat.Type gatewayNat, Authorization... authorizations) {
        SimWorld w = unconnected(seed, clientNat, gatewayNat);
        w.net.controlPlane.connect(w.client, w.gateway, authorizations);
        w.awaitConnected();
        return w;
    }

    /** Runs until both ends of the connection are up (at most 10 s), else fails. */
    void awaitConnected() {
        for (int i = 0; i < 100 && !bothConnected(); i++) {
            net.runFor(100 * MS);
        }
        if (!bothConnected()) {
            throw new AssertionError("not connected: " + client.events + " / " + gateway.events);
        }
    }

    /**
     * Runs until the client's end is up (at most 10 s), else fails. The gateway's end follows with the
     * client's first packet (a WireGuard responder's session is confirmed by the initiator's first data).
     */
    void awaitClientConnected() {
        for (int i = 0; i < 100 && !clientConnected(); i++) {
            net.runFor(100 * MS);
        }
        if (!clientConnected()) {
            throw new AssertionError("client not connected: " + client.events + " / " + gateway.events);
        }
    }

    boolean clientConnected() {
        ConnectionState c = client.node.state(gateway.name);
        return c == ConnectionState.CONNECTED || c == ConnectionState.IDLE;
    }

    boolean bothConnected() {
        ConnectionState c = client.node.state(gateway.name);
        ConnectionState g = gateway.state.connectionState(client.spec.id());
        return (c == ConnectionState.CONNECTED || c == ConnectionState.IDLE)
                && (g == ConnectionState.CONNECTED || g == ConnectionState.IDLE);
    }

    /** Whether the nominated pair goes through a relay on either side. */
    boolean relayed() {
        var pair = client.node.nominatedPair(gateway.name);
        return pair != null && pair.relayed();
    }

    /** Sends {@code packet} from the client and runs 200 ms; returns what came back through the tunnel. */
    List<byte[]> roundTrip(byte[] packet) {
        int mark = client.tun.size();
        client.send(gateway, packet);
        net.runFor(200 * MS);
        return client.tunSince(mark);
    }

    static long seconds(long s) {
        return s * S;
    }
}
