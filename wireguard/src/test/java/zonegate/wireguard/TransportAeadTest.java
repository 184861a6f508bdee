package zonegate.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.wireguard.internal.crypto.ErasableKey;
import zonegate.wireguard.internal.crypto.JceTransportAead;
import zonegate.wireguard.internal.crypto.TransportAead;

/**
 * The transport AEAD over heap and direct buffers: the in-place heap path, the scratch path for
 * direct buffers and overlapping arrays, and the reused key and nonce arrays across keys and counters.
 */
class TransportAeadTest {
    private final SplittableRandom random = new SplittableRandom(91);
    private final TransportAead aead = new JceTransportAead();
    private final ErasableKey key = key(1);
    private final ErasableKey otherKey = key(2);

    private static ErasableKey key(int seed) {
        byte[] k = new byte[32];
        new SplittableRandom(seed).nextBytes(k);
        return new ErasableKey(k, 0);
    }

    private static ByteBuffer buffer(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    private static byte[] bytes(ByteBuffer b, int from, int to) {
        byte[] out = new byte[to - from];
        b.get(from, out);
        return out;
    }

    private byte[] seal(ErasableKey k, long counter, byte[] plain, int pad, boolean direct) {
        ByteBuffer src = buffer(direct, plain.length).put(plain).flip();
        ByteBuffer dst = buffer(direct, 2048).position(7);
        int n = aead.seal(k, counter, src, pad, dst);
        assertThat(n).isEqualTo(plain.length + pad + TransportAead.TAG_BYTES);
        assertThat(dst.position()).isEqualTo(7 + n);
        assertThat(src.hasRemaining()).isFalse();
        return bytes(dst, 7, 7 + n);
    }

    @Test
    void heapAndDirectBuffersSealTheSameBytesAndOpenEachOther() {
        long counter = 0;
        for (int length : new int[] {0, 1, 15, 100, 1415}) {
            for (int pad : new int[] {0, 5}) {
                byte[] plain = new byte[length];
                random.nextBytes(plain);
                long c = counter++;
                byte[] heap = seal(key, c, plain, pad, false);
                seal(otherKey, c, plain, pad, false);
                assertThat(seal(key, c, plain, pad, true)).as("direct seals like heap").isEqualTo(heap);
                for (boolean srcDirect : new boolean[] {false, true}) {
                    for (boolean dstDirect : new boolean[] {false, true}) {
                        ByteBuffer src = buffer(srcDirect, heap.length).put(heap).flip();
                        ByteBuffer dst = buffer(dstDirect, 2048).position(3);
                        assertThat(aead.open(key, c, src, dst)).isEqualTo(length + pad);
                        byte[] expected = Arrays.copyOf(plain, length + pad);
                        assertThat(bytes(dst, 3, 3 + length + pad)).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void openingIntoAnOverlappingRegionOfTheSameArrayWorks() {
        byte[] plain = new byte[200];
        random.nextBytes(plain);
        byte[] sealed = seal(key, 9, plain, 8, false);
        byte[] shared = new byte[1024];
        System.arraycopy(sealed, 0, shared, 16, sealed.length);

        ByteBuffer src = ByteBuffer.wrap(shared, 16, sealed.length);
        ByteBuffer dst = ByteBuffer.wrap(shared, 24, 1000);
        assertThat(aead.open(key, 9, src, dst)).isEqualTo(208);
        assertThat(Arrays.copyOfRange(shared, 24, 224)).isEqualTo(plain);
    }

    @Test
    void forgedTagFailsAndLeavesTheDestinationUntouched() {
        byte[] sealed = seal(key, 4, new byte[64], 0, false);
        sealed[sealed.length - 1] ^= 1;
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer dst = buffer(direct, 256);
            for (int i = 0; i < 256; i++) {
                dst.put(i, (byte) 0x5a);
            }
            assertThat(aead.open(key, 4, buffer(direct, sealed.length).put(sealed).flip(), dst)).isEqualTo(-1);
            assertThat(dst.position()).isZero();
            assertThat(bytes(dst, 0, 256)).containsOnly(0x5a);
        }
    }

    @Test
    void alternatingKeysAtTheSameCounterWorkButRepeatingAKeyAndCounterIsRefused() {
        byte[] plain = {1, 2, 3};
        for (long counter = 100; counter < 200; counter++) {
            byte[] a = seal(key, counter, plain, 0, counter % 2 == 0);
            byte[] b = seal(otherKey, counter, plain, 0, counter % 3 == 0);
            assertThat(a).isNotEqualTo(b);
        }
        seal(key, 500, plain, 0, false);
        assertThatThrownBy(() -> seal(key, 500, plain, 0, false)).isInstanceOf(IllegalStateException.class);
    }
}
