/**
 * STUN, TURN and ICE message codec (RFC 8489, RFC 8656, RFC 8445 attributes) and TURN ChannelData
 * framing, sans-IO.
 *
 * <p>Entry points: {@link zonegate.stun.StunParser} (read), {@link zonegate.stun.StunMessageWriter}
 * (write), {@link zonegate.stun.ChannelDataView} / {@link zonegate.stun.ChannelDataWriter} and
 * {@link zonegate.stun.DatagramKind#classify} (demultiplexing). Parsing never throws on malformed
 * bytes (rejections are values) and allocates nothing per message once warm.
 */
module zonegate.stun {
    exports zonegate.stun;
}
