package zonegate.wireguard;

/**
 * Something a host may want to react to, drained with {@link Device#pollEvent()}. Events are made
 * only on state changes (never per packet), and the device's queue of them is bounded.
 */
public sealed interface TunnelEvent {
    /** The peer concerned. */
    PublicKey peer();

    /** When it happened (the {@code nowNs} of the call that caused it). */
    long atNs();

    /**
     * A new session is usable for sending: for an initiator when the response arrived, for a
     * responder when the initiator's first packet on it arrived.
     */
    record SessionEstablished(PublicKey peer, boolean locallyInitiated, long atNs) implements TunnelEvent {}

    /** A handshake was given up after the peer's rekey-attempt time; queued packets were dropped. */
    record HandshakeExpired(PublicKey peer, int droppedPackets, long atNs) implements TunnelEvent {}

    /** The current session reached REJECT_AFTER_TIME with no replacement: the tunnel is down. */
    record SessionExpired(PublicKey peer, long atNs) implements TunnelEvent {}

    /** Three REJECT_AFTER_TIMEs passed since the last handshake: all key material was erased. */
    record KeysErased(PublicKey peer, long atNs) implements TunnelEvent {}
}
