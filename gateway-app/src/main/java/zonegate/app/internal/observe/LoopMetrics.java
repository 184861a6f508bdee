package zonegate.app.internal.observe;

import java.util.function.Supplier;
import zonegate.shell.loop.LoopCounters;

/**
 * The event loop's counters (lock-free LongAdder reads): datagrams and bytes on the UDP sockets, packets on
 * the TUN device, queue drops and back-pressure, duty cycles and the time parked. Nothing while no loop runs.
 */
public record LoopMetrics(Supplier<LoopCounters> counters) implements MetricSource {
    @Override
    public void collect(MetricsBuilder out) {
        LoopCounters c = counters.get();
        if (c == null) {
            return;
        }
        out.counter("zonegate_datagrams_received_total", "UDP datagrams received on the sockets.", c.datagramsIn())
                .counter("zonegate_datagrams_sent_total", "UDP datagrams handed to the kernel.", c.datagramsOut())
                .counter("zonegate_datagram_received_bytes_total", "UDP payload bytes received.", c.datagramBytesIn())
                .counter("zonegate_datagram_sent_bytes_total", "UDP payload bytes handed to the kernel.",
                        c.datagramBytesOut())
                .counter("zonegate_device_packets_received_total", "IP packets read from the TUN device.",
                        c.devicePacketsIn())
                .counter("zonegate_device_packets_sent_total", "IP packets written to the TUN device.",
                        c.devicePacketsOut())
                .counter("zonegate_device_reads_total",
                        "read calls on the TUN device (fewer than packets with offloads: super-packets).", c.deviceReads())
                .counter("zonegate_device_writes_total",
                        "write calls on the TUN device (fewer than packets with offloads: coalesced TCP).",
                        c.deviceWrites())
                .counter("zonegate_device_offload_drops_total",
                        "Packets read with a virtio_net_hdr that did not add up, dropped.", c.deviceOffloadDrops());
        out.counters("zonegate_loop_drops_total", "Packets, datagrams and commands the event loop dropped, by reason.",
                        "reason", c.dropsByReason())
                .counter("zonegate_loop_read_errors_total", "Reader syscalls that failed (not EAGAIN).", c.readErrors())
                .counter("zonegate_loop_pool_stalls_total", "Times a reader found the buffer pool empty.",
                        c.poolStalls())
                .counter("zonegate_loop_back_pressured_cycles_total",
                        "Duty cycles that left input waiting for room in an outbound queue.", c.backPressuredCycles())
                .counter("zonegate_loop_cycles_total", "Duty cycles of the state thread.", c.cycles())
                .counter("zonegate_loop_parked_seconds_total",
                        "Seconds the state thread spent parked (idle); its rate is the fraction of time parked.",
                        c.parkedNs() / 1e9);
    }
}
