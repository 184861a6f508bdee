package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OffsetIndexTest {
    @Test
    void absentOffsetsAreMinusOne() {
        OffsetIndex index = new OffsetIndex();
        index.put(5, 1);

        assertThat(index.get(4)).isEqualTo(-1);
        assertThat(index.get(0)).isEqualTo(-1);
    }

    @Test
    void everyOffsetPutIsFoundAfterTheTableGrows() {
        OffsetIndex index = new OffsetIndex();
        SplittableRandom random = new SplittableRandom(42);
        int[] offsets = random.ints(20_000, 0, 1 << 21).distinct().toArray();
        for (int i = 0; i < offsets.length; i++) {
            index.put(offsets[i], i);
        }

        for (int i = 0; i < offsets.length; i++) {
            assertThat(index.get(offsets[i])).isEqualTo(i);
        }
        assertThat(index.size()).isEqualTo(offsets.length);
        assertThat(index.get((1 << 21) + 1)).isEqualTo(-1);
    }
}
