package zonegate.tunnel.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import zonegate.filter.Authorization;
import zonegate.ice.Candidate;
import zonegate.ice.IceCredentials;
import zonegate.node.ConnectionParams;
import zonegate.tunnel.AuthorizationResult;
import zonegate.tunnel.GatewayEvent;
import zonegate.tunnel.IceAuthorization;

/**
 * The scripted control plane of a {@link TunnelSim}, as the portal behaves: {@link #connect} mints ICE
 * credentials for both sides of a client-gateway connection, gives the client node its connection
 * (the gateway's public key, both credentials) and the gateway the matching
 * {@code createAuthorization} per resource; it forwards candidates both ways, the gateway's
 * {@link GatewayEvent.CandidatesChanged} to the client node and the client's local candidates to the
 * gateway. The gateway's link to it can go down ({@link #disconnect}): the gateway then holds its candidate
 * changes, and the client's candidates wait here until {@link #reconnect}.
 */
final class ControlPlane {
    /** One client-gateway connection as the control plane made it. */
    record Session(SimClient client, GatewayHost gateway, IceCredentials clientIce, IceCredentials gatewayIce) {
    }

    private record Pending(SimClient client, List<Candidate> added, List<Candidate> removed) {
    }

    private final TunnelSim net;
    private final Map<String, Session> sessions = new HashMap<>();
    private final Set<GatewayHost> disconnected = new HashSet<>();
    private final Map<GatewayHost, List<Pending>> waiting = new HashMap<>();
    /** Every createAuthorization's result, in order. */
    final List<AuthorizationResult> results = new ArrayList<>();

    ControlPlane(TunnelSim net) {
        this.net = net;
    }

    /**
     * A new connection from {@code client} to {@code gateway} (new ICE credentials on both sides) allowing
     * {@code authorizations}; a connection made before between them is replaced on both sides.
     */
    Session connect(SimClient client, GatewayHost gateway, Authorization... authorizations) {
        Session s = new Session(client, gateway, IceCredentials.random(net.random), IceCredentials.random(net.random));
        sessions.put(key(client, gateway), s);
        client.upsertGateway(gateway, new ConnectionParams(gateway.state.publicKey(), null, s.clientIce(),
                s.gatewayIce()));
        for (Authorization a : authorizations) {
            authorize(client, gateway, a);
        }
        return s;
    }

    /** Another {@code createAuthorization} on the connection's current credentials. */
    AuthorizationResult authorize(SimClient client, GatewayHost gateway, Authorization authorization) {
        Session s = session(client, gateway);
        AuthorizationResult r = gateway.state.createAuthorization(new IceAuthorization(client.spec(), s.clientIce(),
                s.gatewayIce(), authorization), net.nowNs);
        results.add(r);
        return r;
    }

    Session session(SimClient client, GatewayHost gateway) {
        Session s = sessions.get(key(client, gateway));
        if (s == null) {
            throw new AssertionError("no session " + key(client, gateway));
        }
        return s;
    }

    /** The gateway's link to the control plane goes down. */
    void disconnect(GatewayHost gateway) {
        disconnected.add(gateway);
        gateway.state.setControlPlaneConnected(false, net.nowNs);
    }

    /** The gateway's link comes back: it flushes what it held, and the client candidates that waited are given. */
    void reconnect(GatewayHost gateway) {
        disconnected.remove(gateway);
        gateway.state.setControlPlaneConnected(true, net.nowNs);
        for (Pending p : waiting.getOrDefault(gateway, List.of())) {
            toGateway(p.client(), gateway, p.added(), p.removed());
        }
        waiting.remove(gateway);
    }

    void onGatewayCandidates(GatewayHost gateway, GatewayEvent.CandidatesChanged changed) {
        if (disconnected.contains(gateway)) {
            throw new AssertionError(gateway + " signalled candidates while its control plane was disconnected");
        }
        Session s = sessions.values().stream().filter(x -> x.gateway() == gateway
                && x.client().spec().id().equals(changed.clientId())).findFirst().orElse(null);
        if (s == null) {
            return;
        }
        for (Candidate c : changed.added()) {
            s.client().addRemoteCandidate(gateway, c);
        }
        for (Candidate c : changed.removed()) {
            s.client().removeRemoteCandidate(gateway, c);
        }
    }

    /** The client's local candidates for its connection to the gateway named {@code gatewayName}. */
    void onClientCandidates(SimClient client, String gatewayName, List<Candidate> added, List<Candidate> removed) {
        Session s = sessions.get(client.name() + "/" + gatewayName);
        if (s == null) {
            return;
        }
        if (disconnected.contains(s.gateway())) {
            waiting.computeIfAbsent(s.gateway(), g -> new ArrayList<>()).add(new Pending(client, added, removed));
            return;
        }
        toGateway(client, s.gateway(), added, removed);
    }

    private void toGateway(SimClient client, GatewayHost gateway, List<Candidate> added, List<Candidate> removed) {
        if (!added.isEmpty()) {
            gateway.state.addRemoteCandidates(client.spec().id(), added, net.nowNs);
        }
        if (!removed.isEmpty()) {
            gateway.state.removeRemoteCandidates(client.spec().id(), removed, net.nowNs);
        }
    }

    private static String key(SimClient client, GatewayHost gateway) {
        return client.name() + "/" + gateway.name;
    }
}
