package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The whole ICE-mode data plane against a reference model (issue #17): the client state machine, the
 * gateways hq and lab and real TURN relays, wired through {@link TunnelSim} with a manual clock, are driven
 * by an action sequence decoded from the fuzzer's bytes ({@link ModelAction.Sequence}: resources added,
 * changed and removed, authorised, expiring and revoked, the Internet toggle, ICMP/UDP/TCP probes to CIDR
 * and DNS resources, DNS queries of six types, roaming, client and gateway restarts, partitions, relays
 * deployed, partitioned and rebooted, idle minutes, control-plane reconnects), and after every action
 * {@link ModelChecks} compares what happened with what {@link DataPlaneModel} says must happen. No ERROR or
 * WARN (beyond the TURN and DNS ones {@link NoErrorLogs} allows) may be logged, and no INFO line repeated
 * more than a few times per action.
 *
 * <p>A failure prints the sequence as numbered actions with the model's expectations, and its seed (the
 * input's first 8 bytes, which seed the simulation). Every build replays the corpus in
 * {@code src/test/resources/zonegate/tunnel/sim/DataPlaneModelFuzzTestInputs/<method>/}, which keeps every
 * sequence that ever failed; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class DataPlaneModelFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void theDataPlaneFollowsTheModel(FuzzedDataProvider data) {
        long seed = data.consumeLong();
        run(seed, ModelAction.Sequence.decode(data));
    }

    /** Runs one sequence; on any failure, the readable sequence and its seed are in the message. */
    static ModelRun run(long seed, ModelAction.Sequence sequence) {
        long mark = NoErrorLogs.mark();
        ModelRun run = null;
        try {
            run = new ModelRun(seed, sequence.start());
            for (ModelAction a : sequence.actions()) {
                run.apply(a);
            }
            List<String> lines = NoErrorLogs.since(mark);
            assertThat(lines).as("ERROR or WARN lines").noneMatch(NoErrorLogs::forbidden);
            int maxRepeats = NoErrorLogs.MAX_REPEATS + 3 * sequence.actions().size();
            Map<String, Long> info = lines.stream().filter(l -> l.startsWith("INFO"))
                    .collect(Collectors.groupingBy(l -> l, Collectors.counting()));
            assertThat(info).as("INFO lines logged repeatedly").allSatisfy((line, count) ->
                    assertThat(count).as(line).isLessThanOrEqualTo(maxRepeats));
            if (Boolean.getBoolean("zonegate.model.print")) {
                System.out.println("seed " + seed + ":\n" + sequence + "\nmodel log:\n" + run.history());
            }
            return run;
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("sequence failed, seed " + seed + ":\n" + sequence + "\nmodel log:\n"
                    + (run == null ? "" : run.history()), e);
        }
    }
}
