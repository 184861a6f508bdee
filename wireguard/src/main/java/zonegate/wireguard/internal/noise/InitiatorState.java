package zonegate.wireguard.internal.noise;

import java.util.Arrays;

/**
 * What an initiator keeps between sending an initiation and receiving its response: the ephemeral
 * private key and the Noise chaining key and hash. Erased when the handshake completes or is given up.
 */
public final class InitiatorState {
    final byte[] ephemeralPrivate = new byte[32];
    final byte[] chainKey = new byte[32];
    final byte[] hash = new byte[32];
    private boolean active;

    /** Whether an initiation is outstanding. */
    public boolean active() {
        return active;
    }

    void activate() {
        active = true;
    }

    /** Overwrites the secrets and marks the state inactive. */
    public void erase() {
        Arrays.fill(ephemeralPrivate, (byte) 0);
        Arrays.fill(chainKey, (byte) 0);
        Arrays.fill(hash, (byte) 0);
        active = false;
    }
}
