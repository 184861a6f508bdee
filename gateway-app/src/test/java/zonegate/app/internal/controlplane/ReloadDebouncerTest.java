package zonegate.app.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReloadDebouncerTest {
    private static final long MS = 1_000_000L;
    private final ReloadDebouncer debouncer = new ReloadDebouncer(200 * MS, 2_000 * MS);

    @Test
    void reloadIsDueOnlyAfterAQuietPeriod() {
        debouncer.onChange(0);

        assertThat(debouncer.takeDue(199 * MS)).isFalse();
        assertThat(debouncer.takeDue(200 * MS)).isTrue();
    }

    @Test
    void burstOfChangesYieldsOneReload() {
        for (long t = 0; t <= 150 * MS; t += 50 * MS) {
            debouncer.onChange(t);
        }

        assertThat(debouncer.takeDue(349 * MS)).isFalse();
        assertThat(debouncer.takeDue(350 * MS)).isTrue();
        assertThat(debouncer.takeDue(10_000 * MS)).isFalse();
    }

    @Test
    void everyNewChangeRestartsTheQuietPeriod() {
        debouncer.onChange(0);
        debouncer.onChange(190 * MS);

        assertThat(debouncer.remainingNs(190 * MS)).isEqualTo(200 * MS);
        assertThat(debouncer.takeDue(200 * MS)).isFalse();
    }

    @Test
    void continuousChangesStillReloadAfterTheMaximumDelay() {
        for (long t = 0; t < 2_000 * MS; t += 100 * MS) {
            debouncer.onChange(t);
            assertThat(debouncer.takeDue(t)).isFalse();
        }

        debouncer.onChange(2_000 * MS);

        assertThat(debouncer.takeDue(2_000 * MS)).isTrue();
    }

    @Test
    void nothingIsPendingBeforeAnyChange() {
        assertThat(debouncer.pending()).isFalse();
        assertThat(debouncer.takeDue(Long.MAX_VALUE)).isFalse();
    }
}
