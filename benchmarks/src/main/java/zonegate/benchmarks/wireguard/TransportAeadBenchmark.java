package zonegate.benchmarks.wireguard;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import zonegate.wireguard.internal.crypto.ErasableKey;
import zonegate.wireguard.internal.crypto.JceTransportAead;
import zonegate.wireguard.internal.crypto.NativeTransportAead;
import zonegate.wireguard.internal.crypto.TransportAead;

/**
 * The transport AEAD alone: one seal, or one open, of a packet in direct buffers (as the FFM I/O
 * shell hands them over), with a fresh counter per seal. {@code benchmarks/scripts/aead-speed.sh}
 * compares the native seal with {@code openssl speed -evp chacha20-poly1305} in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TransportAeadBenchmark {
    /** "native" (libcrypto through FFM) or "jce". */
    @Param({"native", "jce"})
    String aead;

    @Param({"1420"})
    int packetBytes;

    private TransportAead transport;
    private ErasableKey key;
    private ByteBuffer plain;
    private ByteBuffer wire;
    private ByteBuffer sealed;
    private ByteBuffer opened;
    private long counter;

    @Setup
    public void setUp() {
        transport = aead.equals("native") ? new NativeTransportAead() : new JceTransportAead();
        byte[] k = new byte[32];
        SplittableRandom random = new SplittableRandom(1);
        random.nextBytes(k);
        key = new ErasableKey(k, 0);
        byte[] p = new byte[packetBytes];
        random.nextBytes(p);
        plain = ByteBuffer.allocateDirect(packetBytes).put(p).flip();
        wire = ByteBuffer.allocateDirect(packetBytes + 64);
        sealed = ByteBuffer.allocateDirect(packetBytes + 64);
        transport.seal(key, 0, plain.clear(), 0, sealed);
        sealed.flip();
        opened = ByteBuffer.allocateDirect(packetBytes + 64);
    }

    @Benchmark
    public int seal(CpuTime cpu) {
        cpu.operations++;
        return transport.seal(key, ++counter, plain.clear(), 0, wire.clear());
    }

    @Benchmark
    public int open(CpuTime cpu) {
        cpu.operations++;
        int n = transport.open(key, 0, sealed.rewind(), opened.clear());
        if (n != packetBytes) {
            throw new IllegalStateException("open failed");
        }
        return n;
    }

    /**
     * The benchmark thread's CPU time and operations per iteration (JMH sums them over the
     * iterations): their ratio is throughput per CPU-second, which, unlike the wall-clock score, holds
     * on a machine whose cores other work shares, and compares with {@code openssl speed}'s figure
     * (user CPU time).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        /** Operations in the iteration. */
        public long operations;
        /** The thread's CPU time in the iteration, in ns. */
        public long cpuNs;
        private long startNs;

        @Setup(Level.Iteration)
        public void start() {
            operations = 0;
            cpuNs = 0;
            startNs = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            cpuNs = THREADS.getCurrentThreadCpuTime() - startNs;
        }
    }
}
