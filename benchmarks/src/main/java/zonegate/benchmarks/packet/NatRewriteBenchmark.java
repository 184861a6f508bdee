package zonegate.benchmarks.packet;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import zonegate.benchmarks.BenchmarkPackets;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;

/**
 * What the gateway NAT does per packet: parse an IP packet in a direct buffer, rewrite its destination
 * address and port, with incremental checksum fix-up (IPv4 header + TCP via the pseudo-header). Target:
 * under 50 ns/op and 0 B/op ({@code -prof gc}). Each invocation alternates between two destinations so
 * the packet stays valid and the rewrite is never a no-op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NatRewriteBenchmark {
    private final PacketParser parser = new PacketParser();
    private final ByteBuffer ipv4 = ByteBuffer.allocateDirect(2048);
    private final ByteBuffer ipv6 = ByteBuffer.allocateDirect(2048);
    private int ipv4Length;
    private int ipv6Length;
    private int flip;

    @Setup
    public void setUp() {
        ipv4Length = tcpPacket(ipv4, 4);
        ipv6Length = tcpPacket(ipv6, 6);
    }

    @Benchmark
    public int ipv4TcpParseAndRewriteDestination() {
        IpPacket packet = parser.parseOrNull(ipv4, 0, ipv4Length);
        int f = flip ^= 1;
        packet.ipv4().setDestination(0x0A000002 + f);
        packet.setDestinationPort(443 + f);
        return packet.tcp().checksum();
    }

    @Benchmark
    public int ipv6TcpParseAndRewriteDestination() {
        IpPacket packet = parser.parseOrNull(ipv6, 0, ipv6Length);
        int f = flip ^= 1;
        packet.ipv6().setDestination(0xFD00_2021_1111_0000L, 2 + f);
        packet.setDestinationPort(443 + f);
        return packet.tcp().checksum();
    }

    /** A 1280-byte TCP segment built from a UDP datagram (the module's builder), then turned into TCP. */
    private static int tcpPacket(ByteBuffer out, int version) {
        return BenchmarkPackets.tcpAck(out, version, 0xFD00_2021_1111_0000L, 1, 0xFD00_2021_1111_0000L, 2, 0x64400001,
                0x0A000002, 1208 + (version == 4 ? 20 : 40));
    }
}
