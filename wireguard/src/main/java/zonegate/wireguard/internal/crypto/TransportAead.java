package zonegate.wireguard.internal.crypto;

import java.nio.ByteBuffer;

/**
 * The transport-data AEAD: ChaCha20-Poly1305 with an empty AAD and the nonce
 * {@code 0x00000000 || counter (64-bit little-endian)}. Works on caller buffers; one instance
 * serves one thread. Implementations must not throw for bad input: {@link #open} returns -1.
 */
public interface TransportAead {
    /** Length of the Poly1305 tag. */
    int TAG_BYTES = 16;

    /**
     * Encrypts {@code src}'s remaining bytes followed by {@code padBytes} zero bytes into {@code dst}
     * at its position, appending the tag. Advances both buffers.
     *
     * @return the number of bytes written ({@code src.remaining() + padBytes + 16})
     */
    int seal(ErasableKey key, long counter, ByteBuffer src, int padBytes, ByteBuffer dst);

    /**
     * Decrypts and authenticates {@code src}'s remaining bytes (ciphertext and tag) into {@code dst}
     * at its position. On failure {@code dst}'s content beyond its position is unspecified.
     *
     * @return the plaintext length, or -1 if the tag is wrong or {@code dst} is too small
     */
    int open(ErasableKey key, long counter, ByteBuffer src, ByteBuffer dst);
}
