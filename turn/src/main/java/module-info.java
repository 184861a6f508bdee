/** TURN client allocations (RFC 8656) and the TURN relay server core, sans-IO. */
module zonegate.turn {
    requires transitive zonegate.stun;
    requires org.tinylog.api;
    exports zonegate.turn.client;
    exports zonegate.turn.server;
}
