package zonegate.app.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class StateSnapshotTest {
    @Test
    void theStateThreadsAnswerIsInTheScrape() {
        StateSnapshot snapshot = new StateSnapshot(command -> {
            ((StateSnapshot.Request) command).answer(out -> out.gauge("zonegate_clients", "Clients.", 2));
            return true;
        });
        MetricsBuilder out = new MetricsBuilder();

        snapshot.collect(out);

        assertThat(TextFormatParser.parse(TextFormat.write(out.build())))
                .containsKeys("zonegate_clients", "zonegate_scrape_state_timeouts_total");
    }

    @Test
    void aRefusedRequestCountsAsATimeoutAndLeavesTheStateMetricsOut() {
        StateSnapshot snapshot = new StateSnapshot(command -> false, 1, new LongAdder());
        MetricsBuilder out = new MetricsBuilder();

        snapshot.collect(out);

        Map<String, TextFormatParser.Family> families = TextFormatParser.parse(TextFormat.write(out.build()));
        assertThat(families).containsOnlyKeys("zonegate_scrape_state_timeouts_total");
        assertThat(families.get("zonegate_scrape_state_timeouts_total").samples().getFirst().value()).isEqualTo(1.0);
    }
}
