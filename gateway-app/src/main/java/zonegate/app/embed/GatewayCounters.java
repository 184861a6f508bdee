package zonegate.app.embed;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an embedded gateway has done, at one instant: the event loop's counters (read directly, from any
 * thread) and the state machine's ({@link StateCounters}, read on its thread). Counters only grow while
 * the gateway runs; a rate is the difference of two readings.
 *
 * @param datagramsIn UDP datagrams received on the gateway's sockets
 * @param datagramsOut UDP datagrams handed to the kernel
 * @param datagramBytesIn UDP payload bytes received
 * @param datagramBytesOut UDP payload bytes handed to the kernel
 * @param devicePacketsIn IP packets read from the TUN device (traffic from resources to clients)
 * @param devicePacketsOut IP packets written to the TUN device (traffic from clients to resources)
 * @param dutyCycles duty cycles the state thread (or the application's driving thread) ran
 * @param loopDrops what the event loop dropped or refused, by reason: {@code outbound_queue_full},
 *     {@code truncated_datagram}, {@code device_write_error}, {@code send_error}, {@code driver_error},
 *     {@code command_queue_full} (unmodifiable, in that order)
 * @param state the state machine's counters; empty when its thread did not answer within
 *     {@link EmbeddedGateway#STATE_READ_TIMEOUT_MS} (a driven gateway whose application thread stopped
 *     invoking), or when the gateway is not running
 */
public record GatewayCounters(long datagramsIn, long datagramsOut, long datagramBytesIn, long datagramBytesOut,
        long devicePacketsIn, long devicePacketsOut, long dutyCycles, Map<String, Long> loopDrops,
        Optional<StateCounters> state) {
    public GatewayCounters {
        loopDrops = Collections.unmodifiableMap(new LinkedHashMap<>(loopDrops));
        Objects.requireNonNull(state, "state");
    }
}
