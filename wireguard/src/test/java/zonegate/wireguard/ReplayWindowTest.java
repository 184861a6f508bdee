package zonegate.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import zonegate.wireguard.internal.session.ReplayWindow;

class ReplayWindowTest {
    private final ReplayWindow w = new ReplayWindow();

    private boolean offer(long counter) {
        if (!w.canAccept(counter)) {
            return false;
        }
        w.accept(counter);
        return true;
    }

    @Test
    void windowIsAtLeast8192() {
        assertThat(ReplayWindow.WINDOW_SIZE).isGreaterThanOrEqualTo(8192);
    }

    @Test
    void duplicatesAreRejected() {
        assertThat(offer(0)).isTrue();
        assertThat(offer(0)).isFalse();
        assertThat(offer(5)).isTrue();
        assertThat(offer(5)).isFalse();
        assertThat(offer(3)).isTrue();
        assertThat(offer(3)).isFalse();
    }

    @Test
    void counterExactlyWindowSizeMinusOneBackIsAcceptedAndWindowSizeBackIsRejected() {
        long top = 100_000;
        assertThat(offer(top)).isTrue();
        assertThat(offer(top - ReplayWindow.WINDOW_SIZE)).isFalse();
        assertThat(offer(top - ReplayWindow.WINDOW_SIZE + 1)).isTrue();
        assertThat(offer(top - ReplayWindow.WINDOW_SIZE + 1)).isFalse();
    }

    @Test
    void farFutureCounterMovesTheWindowAndOldOnesBecomeTooOld() {
        assertThat(offer(1)).isTrue();
        assertThat(offer(1L << 40)).isTrue();
        assertThat(offer(2)).isFalse();
        assertThat(offer((1L << 40) - 1)).isTrue();
        assertThat(offer((1L << 40) + 1)).isTrue();
    }

    @Test
    void advancingByLessThanTheRingClearsOnlyTheBlocksPassed() {
        for (long c = 0; c < 3 * ReplayWindow.WINDOW_SIZE; c += 7) {
            assertThat(offer(c)).isTrue();
        }
        long top = w.greatest();
        for (long c = top; c > top - ReplayWindow.WINDOW_SIZE; c--) {
            assertThat(w.canAccept(c)).isEqualTo((c % 7) != 0);
        }
    }

    @Test
    void outOfOrderWithinTheWindowIsAcceptedOnce() {
        long[] order = {10, 8, 9, 1, 20, 15, 11};
        for (long c : order) {
            assertThat(offer(c)).isTrue();
        }
        for (long c : order) {
            assertThat(offer(c)).isFalse();
        }
    }

    @Test
    void countersAboveSignedRangeCompareUnsigned() {
        assertThat(offer(-8194L)).isTrue();
        assertThat(offer(5)).isFalse();
    }
}
