/**
 * WireGuard as a sans-IO state machine: the Noise IKpsk2 handshake, transport sessions, timers, cookies
 * and the replay window. Time and randomness are passed in; nothing here does I/O.
 *
 * <p>The transport AEAD may be the system's libcrypto through FFM ({@link zonegate.wireguard.AeadChoice}):
 * run with {@code --enable-native-access=zonegate.wireguard}.
 */
module zonegate.wireguard {
    requires org.bouncycastle.provider;
    requires org.tinylog.api;

    exports zonegate.wireguard;
}
