package zonegate.app.embed;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import zonegate.shell.loop.LoopCounters;
import zonegate.tunnel.GatewayDropReason;
import zonegate.tunnel.GatewayState;
import zonegate.wireguard.DropReason;

/** Reads counters into {@link GatewayCounters}: the state machine's on its thread, the loop's from any. */
final class StateReads {
    private StateReads() {
    }

    /** On the state thread only. */
    static StateCounters state(GatewayState state) {
        return new StateCounters(state.clientCount(), byEnum(GatewayDropReason.values(), state::dropCount),
                byEnum(DropReason.values(), state::wireGuardDropCount), state.eventsDropped());
    }

    static Map<String, Long> loopDrops(LoopCounters c) {
        Map<String, Long> drops = new LinkedHashMap<>();
        drops.put("outbound_queue_full", c.outboundDrops());
        drops.put("truncated_datagram", c.truncatedDatagrams());
        drops.put("device_write_error", c.deviceWriteErrors());
        drops.put("send_error", c.sendErrors());
        drops.put("driver_error", c.driverErrors());
        drops.put("command_queue_full", c.commandsRefused());
        return drops;
    }

    private static <E extends Enum<E>> Map<String, Long> byEnum(E[] values, ToLongFunction<E> count) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (E value : values) {
            counts.put(value.name().toLowerCase(Locale.ROOT), count.applyAsLong(value));
        }
        return counts;
    }
}
