package zonegate.app.internal.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.app.internal.status.StatusReport.DropTotal;

/** "Recent drops" from the ring of counter snapshots, with a manual clock. */
class DropWindowTest {
    private static final long S = 1_000_000_000L;
    private static final long START = 5 * S;

    private static List<DropTotal> filtered(long total) {
        return List.of(new DropTotal("gateway", "filtered", total));
    }

    @Test
    void earlyInTheProcessesLifeRecentIsEverythingSinceTheStartOverAShorterWindow() {
        DropWindow window = new DropWindow(START);

        DropWindow.Recent recent = window.recent(START + 20 * S, filtered(7));

        assertThat(recent.windowNs()).isEqualTo(20 * S);
        assertThat(recent.count("gateway.filtered")).isEqualTo(7);
    }

    @Test
    void onceRunningLongerThanTheWindowOnlyTheLastMinutesGrowthCounts() {
        DropWindow window = new DropWindow(START);
        for (int i = 1; i <= 12; i++) {
            window.record(START + i * 10 * S, filtered(i * 100L));
        }

        DropWindow.Recent recent = window.recent(START + 125 * S, filtered(1_250));

        assertThat(recent.windowNs()).isEqualTo(65 * S);
        assertThat(recent.count("gateway.filtered")).isEqualTo(1_250 - 600);
    }

    @Test
    void snapshotsCloserThanTheSamplingIntervalAreNotKept() {
        DropWindow window = new DropWindow(START);
        window.record(START + 10 * S, filtered(10));
        window.record(START + 11 * S, filtered(11));

        DropWindow.Recent recent = window.recent(START + 71 * S, filtered(20));

        assertThat(recent.windowNs()).isEqualTo(61 * S);
        assertThat(recent.count("gateway.filtered")).isEqualTo(10);
    }

    @Test
    void aCounterThatFirstAppearsCountsFromZeroAndAnUnknownKeyIsZero() {
        DropWindow window = new DropWindow(START);
        window.record(START + 10 * S, List.of());

        DropWindow.Recent recent = window.recent(START + 80 * S, filtered(3));

        assertThat(recent.count("gateway.filtered")).isEqualTo(3);
        assertThat(recent.count("relay.unknown_user")).isZero();
    }
}
