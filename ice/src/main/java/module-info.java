/**
 * ICE agent (RFC 8445, with RFC 8838 trickle), sans-IO: candidates, paced connectivity checks,
 * role-conflict resolution, regular nomination, consent/keepalive on the selected pair and the
 * timeouts of the client and gateway profiles.
 *
 * <p>Entry point: {@link zonegate.ice.IceAgent}. Candidates and their SDP form:
 * {@link zonegate.ice.Candidate}. Timing: {@link zonegate.ice.IceConfig}. The agent never opens a
 * socket, reads a clock, starts a thread or talks to a TURN relay: relayed candidates come from the
 * caller's TURN allocation and the caller routes their transmits.
 */
module zonegate.ice {
    requires zonegate.stun;
    requires zonegate.packet;
    requires org.tinylog.api;
    exports zonegate.ice;
}
