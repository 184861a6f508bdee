/** TURN client allocations (RFC 8656) and the TURN relay server core. Not built yet. */
module zonegate.turn {
    requires zonegate.stun;
}
