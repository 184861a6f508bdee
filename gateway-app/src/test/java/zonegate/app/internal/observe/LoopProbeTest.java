package zonegate.app.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zonegate.packet.BufferPool;
import zonegate.shell.io.UdpSocket;
import zonegate.shell.loop.EventLoop;
import zonegate.shell.loop.EventLoopConfig;
import zonegate.shell.loop.LoopCounters;

/** The liveness probe against a real loop that parks for a minute when idle. */
class LoopProbeTest {
    private static final long SECOND_NS = 1_000_000_000L;

    private EventLoop loop;

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void aParkedLoopIsLiveLongAfterItsLastCycle() throws Exception {
        LoopCounters counters = parkedLoop();
        LoopProbe probe = new LoopProbe(() -> counters, LoopProbe.MAX_AGE_NS);

        HealthCheck check = probe.check(counters.lastCycleNs() + 3 * SECOND_NS);

        assertThat(check.ok()).isTrue();
        assertThat(check.detail()).isEqualTo("idle, parked until the next deadline");
    }

    @Test
    void aLoopStillParkedPastItsTimeoutIsNotLive() throws Exception {
        LoopCounters counters = parkedLoop();
        LoopProbe probe = new LoopProbe(() -> counters, LoopProbe.MAX_AGE_NS);
        long parkEndsNs = counters.parkedUntilNs();

        assertThat(probe.check(parkEndsNs + 2 * SECOND_NS).ok()).isTrue();
        HealthCheck late = probe.check(parkEndsNs + 3 * SECOND_NS);

        assertThat(late.ok()).isFalse();
        assertThat(late.detail()).startsWith("last cycle ");
    }

    @Test
    void noLoopIsNotLive() {
        HealthCheck check = new LoopProbe(() -> null, LoopProbe.MAX_AGE_NS).check(0);

        assertThat(check.ok()).isFalse();
        assertThat(check.detail()).isEqualTo("not running");
    }

    /** A started loop over one idle socket, once its state thread parks (for 60 s: no deadline, no input). */
    private LoopCounters parkedLoop() throws Exception {
        EventLoopConfig d = EventLoopConfig.defaults();
        EventLoopConfig config = new EventLoopConfig(d.readBatchSize(), d.readBatchesPerSource(),
                d.drainBatchesPerCycle(), d.writeBatchSize(), d.writeBatchesPerChannel(), d.outboundReserveBatches(),
                d.commandCapacity(), d.commandsPerCycle(), d.sourceCacheEntries(), 0, 0, TimeUnit.SECONDS.toNanos(60),
                d.flushTimeoutNs(), d.udpGso(), true, false);
        UdpSocket socket = UdpSocket.open(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0),
                UdpSocket.DEFAULT_BUFFER_BYTES);
        loop = EventLoop.create(config, new LoopMetricsTest.EchoDriver(), new BufferPool(2048, 64, true), null,
                List.of(socket));
        loop.start();
        long giveUpNs = System.nanoTime() + 5 * SECOND_NS;
        while (loop.counters().parkedUntilNs() == 0 && System.nanoTime() < giveUpNs) {
            Thread.sleep(5);
        }
        assertThat(loop.counters().parkedUntilNs()).as("parked").isNotZero();
        return loop.counters();
    }
}
