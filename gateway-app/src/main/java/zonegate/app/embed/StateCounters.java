package zonegate.app.embed;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state machine's counters at one instant, read on its thread. Drop maps are keyed by the reason's name in
 * lower case ({@code no_resource}, {@code filtered}, {@code handshake_failed}...), every reason present (zero
 * included), in a fixed order; the same names as the {@code reason} label of the CLI's metrics.
 *
 * @param clients clients the gateway knows (those the policy lists and the state machine accepted)
 * @param gatewayDrops datagrams and packets the gateway dropped, by reason (unmodifiable)
 * @param wireGuardDrops WireGuard messages dropped, by reason, handshake failures and rate limits included
 *     (unmodifiable)
 * @param eventsDropped events dropped because the state machine's event queue was full
 */
public record StateCounters(int clients, Map<String, Long> gatewayDrops, Map<String, Long> wireGuardDrops,
        long eventsDropped) {
    public StateCounters {
        gatewayDrops = Collections.unmodifiableMap(new LinkedHashMap<>(gatewayDrops));
        wireGuardDrops = Collections.unmodifiableMap(new LinkedHashMap<>(wireGuardDrops));
    }

    /** The sum of {@link #gatewayDrops()}. */
    public long gatewayDropsTotal() {
        return gatewayDrops.values().stream().mapToLong(Long::longValue).sum();
    }
}
