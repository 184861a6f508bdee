package zonegate.app.internal.observe;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import zonegate.shell.loop.EventLoop;
import zonegate.shell.loop.LoopCounters;
import zonegate.shell.loop.QueueDepth;
import zonegate.shell.loop.SocketCounters;

/**
 * The event loop's counters (lock-free LongAdder reads): datagrams and bytes per socket, packets on the TUN
 * device, queue depths, drops and back-pressure, duty cycles and the time parked. Nothing while no loop runs.
 *
 * @param loop the running loop, or null
 * @param sockets the {@code socket} label of each socket; sockets with one label are added up
 */
public record LoopMetrics(Supplier<EventLoop> loop, SocketLabels sockets) implements MetricSource {
    @Override
    public void collect(MetricsBuilder out) {
        EventLoop running = loop.get();
        if (running == null) {
            return;
        }
        LoopCounters c = running.counters();
        PerSocket perSocket = PerSocket.of(c, running.socketAddresses(), sockets);
        out.counters("zonegate_datagrams_received_total", "UDP datagrams received, per socket.", "socket",
                        perSocket.datagramsIn)
                .counters("zonegate_datagrams_sent_total", "UDP datagrams handed to the kernel, per socket.", "socket",
                        perSocket.datagramsOut)
                .counters("zonegate_datagram_received_bytes_total", "UDP payload bytes received, per socket.", "socket",
                        perSocket.bytesIn)
                .counters("zonegate_datagram_sent_bytes_total", "UDP payload bytes handed to the kernel, per socket.",
                        "socket", perSocket.bytesOut)
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
                        "Packets read with a virtio_net_hdr that did not add up, dropped.", c.deviceOffloadDrops())
                .counter("zonegate_device_acks_thinned_total",
                        "TCP ACKs for the TUN device left out: a later ACK of the flow in the batch superseded them.",
                        c.deviceAcksThinned())
                .counter("zonegate_udp_gro_reads_total",
                        "UDP_GRO super-datagrams received (each cut into the datagrams it holds).", c.udpGroReads())
                .counter("zonegate_udp_gro_drops_total",
                        "UDP_GRO super-datagrams whose control data was malformed, dropped whole.", c.udpGroDrops());
        Map<String, Integer> used = new LinkedHashMap<>();
        Map<String, Integer> capacity = new LinkedHashMap<>();
        for (QueueDepth depth : running.queueDepths()) {
            used.put(depth.queue(), depth.used());
            capacity.put(depth.queue(), depth.capacity());
        }
        out.gauges("zonegate_loop_queue_used", "Batches (commands: commands) in the loop's bounded queues now.",
                        "queue", used)
                .gauges("zonegate_loop_queue_capacity", "What the loop's bounded queues hold at most, in the same unit.",
                        "queue", capacity)
                .counters("zonegate_loop_drops_total", "Packets, datagrams and commands the event loop dropped, by reason.",
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

    /** The socket counters added up by label, in socket order. */
    private record PerSocket(Map<String, Long> datagramsIn, Map<String, Long> bytesIn, Map<String, Long> datagramsOut,
                             Map<String, Long> bytesOut) {
        static PerSocket of(LoopCounters counters, List<InetSocketAddress> addresses, SocketLabels labels) {
            PerSocket sums = new PerSocket(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(),
                    new LinkedHashMap<>());
            for (int i = 0; i < counters.socketCount(); i++) {
                String label = labels.label(i, addresses.get(i));
                SocketCounters socket = counters.socket(i);
                sums.datagramsIn.merge(label, socket.datagramsIn(), Long::sum);
                sums.bytesIn.merge(label, socket.bytesIn(), Long::sum);
                sums.datagramsOut.merge(label, socket.datagramsOut(), Long::sum);
                sums.bytesOut.merge(label, socket.bytesOut(), Long::sum);
            }
            return sums;
        }
    }
}
