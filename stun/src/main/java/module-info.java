/** STUN, TURN and ICE message codec (RFC 8489, RFC 8656, RFC 8445). Not built yet. */
module zonegate.stun {
    requires zonegate.packet;
}
