package zonegate.wireguard.internal.session;

import zonegate.wireguard.internal.crypto.ErasableKey;

/**
 * One transport keypair (a "session"): the two ChaCha20 keys from the handshake, our receiver index
 * and the peer's, the next sending counter, the replay window, and when it was made.
 */
public final class Session {
    public final int localIndex;
    public final int remoteIndex;
    public final boolean localInitiated;
    public final long createdNs;
    public final ErasableKey sendKey;
    public final ErasableKey receiveKey;
    public final ReplayWindow replay = new ReplayWindow();
    /** Next counter to send with; compared unsigned. */
    public long sendCounter;
    private boolean erased;

    /** Copies the 32-byte keys (the caller erases its arrays). */
    public Session(int localIndex, int remoteIndex, boolean localInitiated, long createdNs, byte[] sendKey,
            byte[] receiveKey) {
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.localInitiated = localInitiated;
        this.createdNs = createdNs;
        this.sendKey = new ErasableKey(sendKey, 0);
        this.receiveKey = new ErasableKey(receiveKey, 0);
    }

    /** Age of the session at {@code nowNs}. */
    public long ageNs(long nowNs) {
        return nowNs - createdNs;
    }

    /** Overwrites both keys; the session is useless afterwards. */
    public void erase() {
        sendKey.destroy();
        receiveKey.destroy();
        erased = true;
    }

    /** Whether {@link #erase()} was called. */
    public boolean erased() {
        return erased;
    }
}
