package zonegate.node;

import java.util.Objects;
import zonegate.ice.IceCredentials;
import zonegate.wireguard.PresharedKey;
import zonegate.wireguard.PublicKey;

/**
 * What the control plane gives for one connection.
 *
 * @param peerKey the peer's WireGuard static public key
 * @param presharedKey the connection's preshared key, or null
 * @param localCredentials our ICE ufrag and password for this connection
 * @param remoteCredentials the peer's ICE ufrag and password
 */
public record ConnectionParams(PublicKey peerKey, PresharedKey presharedKey, IceCredentials localCredentials,
        IceCredentials remoteCredentials) {

    public ConnectionParams {
        Objects.requireNonNull(peerKey, "peerKey");
        Objects.requireNonNull(localCredentials, "localCredentials");
        Objects.requireNonNull(remoteCredentials, "remoteCredentials");
    }

    /** Whether {@code other} names the same keys and credentials (an upsert with it reuses the connection). */
    public boolean sameAs(ConnectionParams other) {
        return peerKey.equals(other.peerKey) && localCredentials.equals(other.localCredentials)
                && remoteCredentials.equals(other.remoteCredentials)
                && Objects.equals(pskText(presharedKey), pskText(other.presharedKey));
    }

    private static String pskText(PresharedKey key) {
        return key == null ? null : key.toBase64();
    }

    @Override
    public String toString() {
        return "ConnectionParams[peerKey=" + peerKey + ", ufrag=" + localCredentials.ufrag() + "]";
    }
}
