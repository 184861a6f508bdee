package zonegate.wireguard.internal.noise;

import static zonegate.wireguard.internal.noise.Messages.*;

import java.security.SecureRandom;
import java.util.Arrays;
import zonegate.wireguard.internal.crypto.Blake2s;
import zonegate.wireguard.internal.crypto.Curve25519;
import zonegate.wireguard.internal.crypto.HandshakeAead;

/**
 * The Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s message computations of WireGuard (paper section 5.4),
 * on byte arrays. mac1/mac2 are added and checked by the cookie layer, not here. Every reader works
 * on scratch state and reports failure as {@code false}, so a forged message changes nothing.
 * Holds scratch buffers: one instance per device, one thread.
 */
public final class NoiseProtocol {
    private final Blake2s blake = new Blake2s();
    private final HandshakeAead aead = new HandshakeAead();
    private final SecureRandom random;
    private final byte[] c = new byte[32];
    private final byte[] h = new byte[32];
    private final byte[] k = new byte[32];
    private final byte[] t = new byte[32];
    private final byte[] dh = new byte[32];
    private final byte[] ePriv = new byte[32];
    private final byte[] ePub = new byte[32];

    /** Results of {@link #readInitiation}: the initiator's static key, ephemeral and timestamp. */
    public final byte[] peerStatic = new byte[32];
    public final byte[] peerEphemeral = new byte[32];
    public final byte[] timestamp = new byte[TIMESTAMP_BYTES];
    private final byte[] responderChain = new byte[32];
    private final byte[] responderHash = new byte[32];

    /** {@code random} supplies ephemeral private keys. */
    public NoiseProtocol(SecureRandom random) {
        this.random = random;
    }

    /**
     * Writes an initiation (up to, not including, mac1) into {@code msg[0..116)} and remembers the
     * ephemeral, chaining key and hash in {@code state}.
     *
     * @return false if the peer's key is unusable (then {@code state} is erased)
     */
    public boolean writeInitiation(LocalIdentity local, PeerIdentity peer, InitiatorState state, int senderIndex,
            byte[] timestamp12, byte[] msg) {
        state.erase();
        if (!peer.usable) {
            return false;
        }
        putLe32(msg, 0, TYPE_INITIATION);
        putLe32(msg, INITIATION_SENDER, senderIndex);
        System.arraycopy(LocalIdentity.INITIAL_CHAIN_KEY, 0, c, 0, 32);
        System.arraycopy(peer.initialHash, 0, h, 0, 32);
        Curve25519.generate(random, state.ephemeralPrivate, ePub);
        System.arraycopy(ePub, 0, msg, INITIATION_EPHEMERAL, 32);
        blake.kdf(c, ePub, c);
        blake.hash(h, ePub, h);
        if (!Curve25519.dh(state.ephemeralPrivate, peer.staticPublic, 0, dh)) {
            state.erase();
            return wipe(false);
        }
        blake.kdf(c, dh, c, k);
        aead.seal(k, 0, local.staticPublic, 0, 32, h, msg, INITIATION_STATIC);
        blake.hash(h, msg, INITIATION_STATIC, 48, h);
        blake.kdf(c, peer.staticShared, c, k);
        aead.seal(k, 0, timestamp12, 0, TIMESTAMP_BYTES, h, msg, INITIATION_TIMESTAMP);
        blake.hash(h, msg, INITIATION_TIMESTAMP, 28, h);
        System.arraycopy(c, 0, state.chainKey, 0, 32);
        System.arraycopy(h, 0, state.hash, 0, 32);
        state.activate();
        return wipe(true);
    }

    /**
     * First half of consuming an initiation: decrypts the initiator's static key into
     * {@link #peerStatic} (so the device can find the peer).
     */
    public boolean readInitiationStatic(LocalIdentity local, byte[] msg) {
        System.arraycopy(LocalIdentity.INITIAL_CHAIN_KEY, 0, responderChain, 0, 32);
        System.arraycopy(local.initialHash, 0, responderHash, 0, 32);
        System.arraycopy(msg, INITIATION_EPHEMERAL, peerEphemeral, 0, 32);
        blake.kdf(responderChain, peerEphemeral, responderChain);
        blake.hash(responderHash, peerEphemeral, responderHash);
        if (!Curve25519.dh(local.staticPrivate, peerEphemeral, 0, dh)) {
            return wipe(false);
        }
        blake.kdf(responderChain, dh, responderChain, k);
        if (!aead.open(k, 0, msg, INITIATION_STATIC, 48, responderHash, peerStatic, 0)) {
            return wipe(false);
        }
        blake.hash(responderHash, msg, INITIATION_STATIC, 48, responderHash);
        return wipe(true);
    }

    /** Second half: with the peer found, decrypts the timestamp into {@link #timestamp}. */
    public boolean readInitiationTimestamp(PeerIdentity peer, byte[] msg) {
        if (!peer.usable) {
            return false;
        }
        blake.kdf(responderChain, peer.staticShared, responderChain, k);
        if (!aead.open(k, 0, msg, INITIATION_TIMESTAMP, 28, responderHash, timestamp, 0)) {
            return wipe(false);
        }
        blake.hash(responderHash, msg, INITIATION_TIMESTAMP, 28, responderHash);
        return wipe(true);
    }

    /**
     * Writes the response (up to mac1) to the initiation just read into {@code msg[0..60)}, and the
     * transport keys into {@code sendKey}/{@code receiveKey} (responder's view).
     */
    public boolean writeResponse(PeerIdentity peer, int senderIndex, int receiverIndex, byte[] msg,
            byte[] sendKey, byte[] receiveKey) {
        System.arraycopy(responderChain, 0, c, 0, 32);
        System.arraycopy(responderHash, 0, h, 0, 32);
        putLe32(msg, 0, TYPE_RESPONSE);
        putLe32(msg, RESPONSE_SENDER, senderIndex);
        putLe32(msg, RESPONSE_RECEIVER, receiverIndex);
        Curve25519.generate(random, ePriv, ePub);
        System.arraycopy(ePub, 0, msg, RESPONSE_EPHEMERAL, 32);
        blake.kdf(c, ePub, c);
        blake.hash(h, ePub, h);
        if (!Curve25519.dh(ePriv, peerEphemeral, 0, dh)) {
            return wipe(false);
        }
        blake.kdf(c, dh, c);
        if (!Curve25519.dh(ePriv, peer.staticPublic, 0, dh)) {
            return wipe(false);
        }
        blake.kdf(c, dh, c);
        blake.kdf(c, peer.presharedKey, c, t, k);
        blake.hash(h, t, h);
        aead.seal(k, 0, msg, 0, 0, h, msg, RESPONSE_EMPTY);
        blake.kdf(c, new byte[0], receiveKey, sendKey);
        return wipe(true);
    }

    /**
     * Consumes a response to the initiation in {@code state}, writing the initiator's transport keys.
     * {@code state} is left untouched on failure, so a forged response cannot end a real handshake.
     */
    public boolean readResponse(LocalIdentity local, PeerIdentity peer, InitiatorState state, byte[] msg,
            byte[] sendKey, byte[] receiveKey) {
        if (!state.active()) {
            return false;
        }
        System.arraycopy(state.chainKey, 0, c, 0, 32);
        System.arraycopy(state.hash, 0, h, 0, 32);
        System.arraycopy(msg, RESPONSE_EPHEMERAL, ePub, 0, 32);
        blake.kdf(c, ePub, c);
        blake.hash(h, ePub, h);
        if (!Curve25519.dh(state.ephemeralPrivate, ePub, 0, dh)) {
            return wipe(false);
        }
        blake.kdf(c, dh, c);
        if (!Curve25519.dh(local.staticPrivate, ePub, 0, dh)) {
            return wipe(false);
        }
        blake.kdf(c, dh, c);
        blake.kdf(c, peer.presharedKey, c, t, k);
        blake.hash(h, t, h);
        if (!aead.open(k, 0, msg, RESPONSE_EMPTY, 16, h, dh, 0)) {
            return wipe(false);
        }
        blake.kdf(c, new byte[0], sendKey, receiveKey);
        return wipe(true);
    }

    private boolean wipe(boolean result) {
        Arrays.fill(c, (byte) 0);
        Arrays.fill(h, (byte) 0);
        Arrays.fill(k, (byte) 0);
        Arrays.fill(t, (byte) 0);
        Arrays.fill(dh, (byte) 0);
        Arrays.fill(ePriv, (byte) 0);
        return result;
    }

    /** Erases the responder scratch (after {@link #writeResponse} or a failed read). */
    public void eraseResponderScratch() {
        Arrays.fill(responderChain, (byte) 0);
        Arrays.fill(responderHash, (byte) 0);
        Arrays.fill(peerEphemeral, (byte) 0);
        Arrays.fill(timestamp, (byte) 0);
    }
}
