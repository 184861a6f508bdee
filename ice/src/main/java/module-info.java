/** ICE agent (RFC 8445): candidates, checks, nomination, keepalive and timeouts. Not built yet. */
module zonegate.ice {
    requires zonegate.stun;
}
