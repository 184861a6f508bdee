package zonegate.wireguard.internal.noise;

import java.util.Arrays;
import zonegate.wireguard.internal.crypto.Blake2s;
import zonegate.wireguard.internal.crypto.Curve25519;

/**
 * A remote peer's static public key, the optional preshared key (zeros when absent, as in the
 * paper), and the values derived from them once: {@code DH(S_local, S_peer)}, the initiator's
 * starting hash, and the mac1/cookie keys for messages we send to the peer.
 */
public final class PeerIdentity {
    final byte[] staticPublic;
    final byte[] presharedKey = new byte[32];
    /** {@code DH(our static private, peer static public)}; valid only if {@link #usable}. */
    final byte[] staticShared = new byte[32];
    /** {@code HASH(HASH(C0 || IDENTIFIER) || peer public key)}: the initiator's starting hash. */
    final byte[] initialHash = new byte[32];
    /** {@code HASH("mac1----" || peer public key)}: mac1 of messages we send to the peer. */
    public final byte[] mac1Key = new byte[32];
    /** {@code HASH("cookie--" || peer public key)}: decrypts cookie replies from the peer. */
    public final byte[] cookieKey = new byte[32];
    /** False when the peer's key is of low order: no handshake with it can ever succeed. */
    public final boolean usable;

    /** Derives everything for {@code peerPublic}; {@code presharedKey} may be null. */
    public PeerIdentity(LocalIdentity local, byte[] peerPublic, byte[] presharedKey) {
        this.staticPublic = peerPublic.clone();
        if (presharedKey != null) {
            System.arraycopy(presharedKey, 0, this.presharedKey, 0, 32);
        }
        this.usable = Curve25519.dh(local.staticPrivate, staticPublic, 0, staticShared);
        Blake2s b = new Blake2s();
        b.hash(LocalIdentity.INITIAL_HASH, staticPublic, initialHash);
        b.hash(LocalIdentity.LABEL_MAC1, staticPublic, mac1Key);
        b.hash(LocalIdentity.LABEL_COOKIE, staticPublic, cookieKey);
    }

    /** Replaces the preshared key (null means none). */
    public void setPresharedKey(byte[] key) {
        if (key == null) {
            Arrays.fill(presharedKey, (byte) 0);
        } else {
            System.arraycopy(key, 0, presharedKey, 0, 32);
        }
    }

    /** Overwrites the secrets. */
    public void erase() {
        Arrays.fill(presharedKey, (byte) 0);
        Arrays.fill(staticShared, (byte) 0);
    }
}
