/**
 * Connections to peers, as one sans-IO state machine per host: each connection joins an ICE agent, a
 * WireGuard tunnel and (when no direct path exists) a TURN relay sampled from the node's allocations;
 * one shared socket per address family is demultiplexed here; peer-to-peer control messages ride
 * inside the tunnel.
 *
 * <p>Entry point: {@link zonegate.node.Node}.
 */
module zonegate.node {
    requires transitive zonegate.wireguard;
    requires transitive zonegate.ice;
    requires transitive zonegate.turn;
    requires zonegate.stun;
    requires zonegate.packet;
    requires org.tinylog.api;

    exports zonegate.node;
}
