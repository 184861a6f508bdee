package zonegate.example.embedded;

import java.util.Map;
import java.util.StringJoiner;
import zonegate.app.embed.GatewayCounters;
import zonegate.app.embed.StateCounters;

/** One line of counters: {@code counters: datagrams_in=12 ... clients=1 drops: no_resource=3}. */
final class CounterLine {
    private CounterLine() {
    }

    static String format(GatewayCounters c) {
        StringBuilder line = new StringBuilder("counters:")
                .append(" datagrams_in=").append(c.datagramsIn())
                .append(" datagrams_out=").append(c.datagramsOut())
                .append(" bytes_in=").append(c.datagramBytesIn())
                .append(" bytes_out=").append(c.datagramBytesOut())
                .append(" device_in=").append(c.devicePacketsIn())
                .append(" device_out=").append(c.devicePacketsOut());
        StringJoiner drops = new StringJoiner(" ", " drops: ", "").setEmptyValue("");
        nonZero(c.loopDrops(), drops);
        if (c.state().isPresent()) {
            StateCounters s = c.state().get();
            line.append(" clients=").append(s.clients());
            nonZero(s.gatewayDrops(), drops);
            nonZero(s.wireGuardDrops(), drops);
        }
        return line.append(drops).toString();
    }

    private static void nonZero(Map<String, Long> counts, StringJoiner out) {
        counts.forEach((reason, count) -> {
            if (count > 0) {
                out.add(reason + "=" + count);
            }
        });
    }
}
