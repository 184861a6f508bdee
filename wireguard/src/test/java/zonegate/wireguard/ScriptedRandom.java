package zonegate.wireguard;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Test seam: {@link #nextInt()} serves scripted receiver indices first; everything else is seeded. */
final class ScriptedRandom implements RandomGenerator {
    private final ArrayDeque<Integer> ints = new ArrayDeque<>();
    private final SplittableRandom seeded;

    ScriptedRandom(long seed) {
        this.seeded = new SplittableRandom(seed);
    }

    ScriptedRandom thenInt(int value) {
        ints.add(value);
        return this;
    }

    @Override
    public int nextInt() {
        Integer v = ints.poll();
        return v != null ? v : seeded.nextInt();
    }

    @Override
    public long nextLong() {
        return seeded.nextLong();
    }
}
