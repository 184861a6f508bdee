package zonegate.node;

import java.util.ArrayList;
import java.util.List;
import zonegate.ice.Candidate;
import zonegate.ice.IceAgent;
import zonegate.ice.SelectedPair;
import zonegate.node.internal.DeadlineHeap;
import zonegate.node.internal.PacketRing;
import zonegate.wireguard.Tunnel;

/** One connection: its ICE agent, its WireGuard tunnel, its buffer (client) and its cached deadline. */
final class Connection extends DeadlineHeap.Entry {
    final String peerId;
    final ConnectionParams params;
    final IceAgent agent;
    final Tunnel tunnel;
    /** Client only: packets waiting for nomination; null on a server. */
    final PacketRing buffer;
    final List<Candidate> addedLocal = new ArrayList<>();
    final List<Candidate> removedLocal = new ArrayList<>();
    /** Candidates added from the relays (server-reflexive from all, relayed from the sampled one). */
    final List<Candidate> relayCandidates = new ArrayList<>();
    ConnectionState state = ConnectionState.CONNECTING;
    /** The sampled relay's server address, or null. */
    java.net.InetSocketAddress relay;
    boolean endOfLocalCandidates;
    boolean relayVanishedLogged;
    SelectedPair pair;
    boolean sessionUp;
    boolean removed;
    long lastPacketNs;

    Connection(String peerId, ConnectionParams params, IceAgent agent, Tunnel tunnel, PacketRing buffer, long nowNs) {
        this.peerId = peerId;
        this.params = params;
        this.agent = agent;
        this.tunnel = tunnel;
        this.buffer = buffer;
        this.lastPacketNs = nowNs;
    }

    /** The next instant this connection needs a visit: its ICE agent's deadline or the idle threshold. */
    long deadlineNs(long idleAfterNs) {
        var ice = agent.pollTimeout();
        long deadline = ice == null ? Long.MAX_VALUE : ice.deadlineNs();
        if (state == ConnectionState.CONNECTED) {
            deadline = Math.min(deadline, lastPacketNs + idleAfterNs);
        }
        return deadline;
    }

    @Override
    public String toString() {
        return "Connection[peer=" + peerId + ", " + state + "]";
    }
}
