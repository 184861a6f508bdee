package zonegate.app.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.shell.io.UdpSocket;
import zonegate.shell.loop.EventLoop;
import zonegate.shell.loop.EventLoopConfig;
import zonegate.shell.loop.Outbound;
import zonegate.shell.loop.StateMachineDriver;

/** The loop's metrics from a real loop over loopback sockets: per-socket series, labels added up, queue gauges. */
class LoopMetricsTest {
    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    @Test
    void eachSocketHasItsSeriesAndARelaysPortsAreOne() throws Exception {
        List<UdpSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sockets.add(UdpSocket.open(new InetSocketAddress(LOOPBACK, 0), UdpSocket.DEFAULT_BUFFER_BYTES));
        }
        EventLoopConfig config = EventLoopConfig.defaults();
        EventLoop loop = EventLoop.create(config, new EchoDriver(),
                new BufferPool(2048, EventLoop.minimumPoolBuffers(config, 0, sockets.size()) + 64, true), null, sockets);
        closeables.add(loop);
        loop.start();
        String listen = "127.0.0.1:" + sockets.getFirst().localAddress().getPort();
        DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        closeables.add(client);

        exchange(client, sockets.get(0).localAddress(), 5, 100);
        exchange(client, sockets.get(1).localAddress(), 3, 10);
        exchange(client, sockets.get(2).localAddress(), 2, 10);
        // A writer counts a datagram after sendmmsg returns, which can be after the client has the echo.
        long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (loop.counters().datagramsOut() < 10 && System.nanoTime() < deadlineNs) {
            Thread.sleep(1);
        }

        Map<String, TextFormatParser.Family> relay = scrape(loop, SocketLabels.relay());
        assertThat(bySocket(relay, "zonegate_datagrams_received_total")).containsExactlyInAnyOrderEntriesOf(
                Map.of(listen, 5.0, "relay_ports", 5.0));
        assertThat(bySocket(relay, "zonegate_datagram_received_bytes_total")).containsExactlyInAnyOrderEntriesOf(
                Map.of(listen, 500.0, "relay_ports", 50.0));
        assertThat(bySocket(relay, "zonegate_datagrams_sent_total")).containsExactlyInAnyOrderEntriesOf(
                Map.of(listen, 5.0, "relay_ports", 5.0));
        assertThat(bySocket(relay, "zonegate_datagram_sent_bytes_total")).containsExactlyInAnyOrderEntriesOf(
                Map.of(listen, 500.0, "relay_ports", 50.0));
        assertThat(bySocket(scrape(loop, SocketLabels.BY_ADDRESS), "zonegate_datagrams_received_total"))
                .hasSize(3).containsEntry(listen, 5.0).containsValues(3.0, 2.0);
    }

    @Test
    void queueGaugesNameEveryQueueWithItsCapacity() throws Exception {
        UdpSocket socket = UdpSocket.open(new InetSocketAddress(LOOPBACK, 0), UdpSocket.DEFAULT_BUFFER_BYTES);
        EventLoopConfig config = EventLoopConfig.defaults();
        EventLoop loop = EventLoop.create(config, new EchoDriver(), new BufferPool(2048, 512, true), null, List.of(socket));
        closeables.add(loop);

        Map<String, TextFormatParser.Family> families = scrape(loop, SocketLabels.BY_ADDRESS);

        assertThat(byLabel(families, "zonegate_loop_queue_used", "queue")).containsOnlyKeys("device_in", "udp_in",
                "device_out", "udp_out", "commands").allSatisfy((queue, used) -> assertThat(used).isZero());
        assertThat(byLabel(families, "zonegate_loop_queue_capacity", "queue")).containsAllEntriesOf(Map.of(
                "udp_in", (double) config.readBatchesPerSource(), "udp_out", (double) config.writeBatchesPerChannel(),
                "device_in", 0.0, "commands", (double) config.commandCapacity()));
        assertThat(families.get("zonegate_loop_queue_used").type()).isEqualTo("gauge");
    }

    private static void exchange(DatagramSocket client, InetSocketAddress to, int count, int bytes) throws Exception {
        client.setSoTimeout(5_000);
        for (int i = 0; i < count; i++) {
            client.send(new DatagramPacket(new byte[bytes], bytes, to));
            client.receive(new DatagramPacket(new byte[2048], 2048));
        }
    }

    private static Map<String, TextFormatParser.Family> scrape(EventLoop loop, SocketLabels labels) {
        ObserveEndpoints endpoints = new ObserveEndpoints(List.of(new LoopMetrics(() -> loop, labels)), List.of(),
                List.of());
        return TextFormatParser.parse(endpoints.respond("GET", "/metrics", 0).body());
    }

    private static Map<String, Double> bySocket(Map<String, TextFormatParser.Family> families, String name) {
        return byLabel(families, name, "socket");
    }

    private static Map<String, Double> byLabel(Map<String, TextFormatParser.Family> families, String name,
                                               String label) {
        return families.get(name).samples().stream()
                .collect(Collectors.toMap(sample -> sample.labels().get(label), TextFormatParser.Sample::value));
    }

    /** Sends every datagram back to its sender on the socket it came in on. */
    static final class EchoDriver implements StateMachineDriver {
        private Outbound outbound;

        @Override
        public void onStart(Outbound outbound, long nowNs) {
            this.outbound = outbound;
        }

        @Override
        public void onCommand(Object command, long nowNs) {
        }

        @Override
        public boolean onDatagram(int socketIndex, InetSocketAddress from, PooledBuffer datagram, long nowNs) {
            outbound.sendDatagram(socketIndex, from, datagram);
            return true;
        }

        @Override
        public boolean onDevicePacket(int queueIndex, PooledBuffer packet, long nowNs) {
            return false;
        }

        @Override
        public void onTimeout(long nowNs) {
        }

        @Override
        public long nextDeadlineNs() {
            return Long.MAX_VALUE;
        }
    }
}
