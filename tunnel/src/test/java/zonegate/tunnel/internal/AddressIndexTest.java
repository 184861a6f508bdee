package zonegate.tunnel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AddressIndexTest {
    @Test
    void agreesWithAHashMapThroughRandomPutsAndRemovals() {
        SplittableRandom random = new SplittableRandom(3);
        AddressIndex<Integer> index = new AddressIndex<>(64);
        Map<Integer, Integer> v4 = new HashMap<>();
        Map<Long, Integer> v6 = new HashMap<>();
        for (int step = 0; step < 50_000; step++) {
            int key = random.nextInt(96);
            long low = key * 7L;
            if (random.nextBoolean() && v4.size() < 64) {
                index.put4(key, step);
                v4.put(key, step);
                index.put6(1, low, step);
                v6.put(low, step);
            } else {
                index.remove4(key);
                v4.remove(key);
                index.remove6(1, low);
                v6.remove(low);
            }
            int probe = random.nextInt(96);
            assertThat(index.get4(probe)).isEqualTo(v4.get(probe));
            assertThat(index.get6(1, probe * 7L)).isEqualTo(v6.get(probe * 7L));
        }
    }

    @Test
    void growsPastItsExpectedSizeAndKeepsEveryEntry() {
        AddressIndex<Integer> index = new AddressIndex<>(2);
        for (int i = 0; i < 10_000; i++) {
            index.put4(i * 31, i);
            index.put6(i, -i, i);
        }
        assertThat(index.size()).isEqualTo(20_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(index.get4(i * 31)).isEqualTo(i);
            assertThat(index.get6(i, -i)).isEqualTo(i);
        }
        index.clear();
        assertThat(index.size()).isZero();
        assertThat(index.get4(31)).isNull();
    }
}
