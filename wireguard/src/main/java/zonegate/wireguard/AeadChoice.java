package zonegate.wireguard;

import java.util.Optional;
import zonegate.wireguard.internal.crypto.TransportAeads;

/**
 * Which ChaCha20-Poly1305 implementation seals and opens transport data
 * ({@link WireGuardConfig#aead()}, {@code --aead auto|jce|native} on the command line).
 *
 * <p>The native one is the system's libcrypto (OpenSSL 3 on Debian) through FFM: about five times the
 * JDK's speed here and no allocation per packet. It is probed once per process, the first time a
 * {@link Device} is made with {@link #AUTO} or {@link #NATIVE} (or {@link #resolve()} is called):
 * the library must load and pass a self-test on RFC 8439's vectors. The module needs
 * {@code --enable-native-access=zonegate.wireguard} (without it the JDK warns). Which one is used is
 * logged once per process at INFO.
 */
public enum AeadChoice {
    /** The native AEAD if it loads and passes its self-test, else the JCE's. */
    AUTO,
    /** The JDK's {@code ChaCha20-Poly1305} cipher; libcrypto is not even loaded. */
    JCE,
    /** The native AEAD; a {@link Device} cannot be made without it (WARN, then an exception). */
    NATIVE;

    /** Why the native AEAD is unusable in this process (probing it if not done yet), or empty if it works. */
    public static Optional<String> nativeUnavailableReason() {
        return TransportAeads.nativeUnavailableReason();
    }

    /**
     * What a {@link Device} made with this choice uses: {@link #NATIVE} or {@link #JCE}. Logs the
     * outcome once per process and choice.
     *
     * @throws IllegalStateException if this is {@link #NATIVE} and the native AEAD is unavailable (the
     *     message says why)
     */
    public AeadChoice resolve() {
        return TransportAeads.resolve(this);
    }
}
