package zonegate.wireguard;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/** Test seam: serves scripted byte arrays (e.g. ephemeral keys) first, then seeded bytes. Not secure. */
final class FixedSecureRandom extends SecureRandom {
    private final ArrayDeque<byte[]> scripted = new ArrayDeque<>();
    private final SplittableRandom fallback;

    FixedSecureRandom(long seed) {
        this.fallback = new SplittableRandom(seed);
    }

    FixedSecureRandom then(byte[] bytes) {
        scripted.add(bytes.clone());
        return this;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        byte[] next = scripted.peek();
        if (next != null && next.length == bytes.length) {
            scripted.poll();
            System.arraycopy(next, 0, bytes, 0, bytes.length);
            return;
        }
        if (fallback != null) {
            fallback.nextBytes(bytes);
        }
    }
}
