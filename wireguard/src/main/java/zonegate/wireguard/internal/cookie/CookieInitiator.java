package zonegate.wireguard.internal.cookie;

import java.util.Arrays;
import zonegate.wireguard.internal.crypto.Blake2s;
import zonegate.wireguard.internal.crypto.HandshakeAead;
import zonegate.wireguard.internal.noise.Messages;
import zonegate.wireguard.internal.noise.PeerIdentity;

/**
 * The sending side of the cookie mechanism, per peer: writes mac1 and (with a fresh cookie) mac2
 * on our handshake messages, and takes cookies from cookie replies. A cookie reply is accepted once
 * per mac1 we sent, and a cookie is used for {@code cookieRefreshTimeNs} after it arrived.
 */
public final class CookieInitiator {
    private final byte[] lastMac1 = new byte[16];
    private final byte[] cookie = new byte[16];
    private final long cookieLifetimeNs;
    private boolean hasLastMac1;
    private boolean hasCookie;
    private long cookieReceivedNs;

    public CookieInitiator(long cookieLifetimeNs) {
        this.cookieLifetimeNs = cookieLifetimeNs;
    }

    /** Writes mac1 at {@code mac1Off} and mac2 right after it (zeros without a fresh cookie). */
    public void stamp(byte[] msg, int mac1Off, PeerIdentity peer, long nowNs) {
        Blake2s.mac(peer.mac1Key, msg, 0, mac1Off, msg, mac1Off);
        System.arraycopy(msg, mac1Off, lastMac1, 0, 16);
        hasLastMac1 = true;
        int mac2Off = mac1Off + 16;
        if (hasCookie && nowNs - cookieReceivedNs < cookieLifetimeNs) {
            Blake2s.mac(cookie, msg, 0, mac2Off, msg, mac2Off);
        } else {
            Arrays.fill(msg, mac2Off, mac2Off + 16, (byte) 0);
        }
    }

    /**
     * Decrypts the cookie from a 64-byte cookie reply.
     *
     * @return false (changing nothing) if no mac1 is outstanding or the reply does not authenticate
     */
    public boolean consume(byte[] reply, PeerIdentity peer, HandshakeAead aead, long nowNs) {
        if (!hasLastMac1) {
            return false;
        }
        byte[] plain = new byte[16];
        if (!aead.xopen(peer.cookieKey, reply, Messages.COOKIE_NONCE, reply, Messages.COOKIE_ENCRYPTED, 32,
                lastMac1, plain, 0)) {
            return false;
        }
        System.arraycopy(plain, 0, cookie, 0, 16);
        hasCookie = true;
        hasLastMac1 = false;
        cookieReceivedNs = nowNs;
        return true;
    }

    /** Whether a cookie is held and still fresh at {@code nowNs}. */
    public boolean hasFreshCookie(long nowNs) {
        return hasCookie && nowNs - cookieReceivedNs < cookieLifetimeNs;
    }
}
