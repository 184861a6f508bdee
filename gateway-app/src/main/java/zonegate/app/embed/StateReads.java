package zonegate.app.embed;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import zonegate.tunnel.GatewayDropReason;
import zonegate.tunnel.GatewayState;
import zonegate.wireguard.DropReason;

/** Reads the state machine's counters into {@link StateCounters}, on its thread. */
final class StateReads {
    private StateReads() {
    }

    /** On the state thread only. */
    static StateCounters state(GatewayState state) {
        return new StateCounters(state.clientCount(), byEnum(GatewayDropReason.values(), state::dropCount),
                byEnum(DropReason.values(), state::wireGuardDropCount), state.eventsDropped());
    }

    private static <E extends Enum<E>> Map<String, Long> byEnum(E[] values, ToLongFunction<E> count) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (E value : values) {
            counts.put(value.name().toLowerCase(Locale.ROOT), count.applyAsLong(value));
        }
        return counts;
    }
}
