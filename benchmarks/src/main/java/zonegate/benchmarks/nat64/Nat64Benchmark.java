package zonegate.benchmarks.nat64;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
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
import zonegate.nat64.Addresses;
import zonegate.nat64.DnsNatTable;
import zonegate.nat64.Nat64Prefix;
import zonegate.nat64.Nat64Translator;
import zonegate.nat64.NatConfig;
import zonegate.nat64.SharedPortSpace;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;

/**
 * NAT64 per packet: parse a 1280-byte TCP segment in a direct buffer and translate it (IPv6 to IPv4 and
 * IPv4 to IPv6, RFC 7915 with the well-known prefix), and a DNS-resource NAT outbound rewrite plus the
 * inbound rewrite of the reply (same family, established flow). Targets: under 100 ns per translation,
 * 0 B/op ({@code -prof gc}). Inputs are rewritten in place by the NAT, so each invocation first restores
 * the pristine packet from a copy (a 1280-byte memcpy, included in the time).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Nat64Benchmark {
    private static final int CLIENT4 = 0x64400005;
    private static final int PROXY4 = 0x64600001;
    private static final int RESOLVED4 = 0xC6336401;
    private static final int GATEWAY4 = 0xCB007101;
    private final PacketParser parser = new PacketParser();
    private final Nat64Translator translator = new Nat64Translator(Nat64Prefix.WELL_KNOWN, false, new SplittableRandom(1));
    private final ByteBuffer ipv6 = ByteBuffer.allocateDirect(2048);
    private final ByteBuffer ipv4 = ByteBuffer.allocateDirect(2048);
    private final ByteBuffer natOut = ByteBuffer.allocateDirect(2048);
    private final ByteBuffer natPristine = ByteBuffer.allocateDirect(2048);
    private final ByteBuffer natWork = ByteBuffer.allocateDirect(2048);
    private final ByteBuffer replyPristine = ByteBuffer.allocateDirect(2048);
    private final ByteBuffer out = ByteBuffer.allocateDirect(2048);
    private SharedPortSpace ports;
    private DnsNatTable table;
    private int ipv6Length;
    private int ipv4Length;
    private int natLength;
    private int replyLength;
    private long nowNs = 1_000_000_000L;

    @Setup
    public void setUp() {
        Nat64Prefix p = Nat64Prefix.WELL_KNOWN;
        ipv6Length = tcpPacket(ipv6, 6, p.embedHigh(CLIENT4), p.embedLow(CLIENT4), p.embedHigh(RESOLVED4),
                p.embedLow(RESOLVED4), 0, 0);
        ipv4Length = tcpPacket(ipv4, 4, 0, 0, 0, 0, RESOLVED4, CLIENT4);
        ports = new SharedPortSpace(65536, new SplittableRandom(2));
        table = new DnsNatTable("bench", NatConfig.defaults(GATEWAY4, 0x2001_0DB8_FFFF_0000L, 1), ports,
                new SplittableRandom(3));
        table.setDomain("example.com", List.<InetAddress>of(Addresses.toInet4(PROXY4)),
                List.<InetAddress>of(Addresses.toInet4(RESOLVED4)));
        natLength = tcpPacket(natPristine, 4, 0, 0, 0, 0, CLIENT4, PROXY4);
        replyLength = tcpPacket(replyPristine, 4, 0, 0, 0, 0, RESOLVED4, GATEWAY4);
        // The reply's ports mirror the request's: 443 -> 40000.
        IpPacket reply = parser.parseOrNull(replyPristine, 0, replyLength);
        reply.setSourcePort(443);
        reply.setDestinationPort(40000);
        IpPacket request = parser.parseOrNull(natPristine, 0, natLength);
        request.setSourcePort(40000);
        request.setDestinationPort(443);
        if (natOutboundAndInbound() < 0) {
            throw new IllegalStateException("NAT benchmark packet dropped");
        }
    }

    @Benchmark
    public int translateIpv6TcpToIpv4() {
        return translator.translate6to4(parser.parseOrNull(ipv6, 0, ipv6Length), out, 0, 2048);
    }

    @Benchmark
    public int translateIpv4TcpToIpv6() {
        return translator.translate4to6(parser.parseOrNull(ipv4, 0, ipv4Length), out, 0, 2048);
    }

    /** A client's segment out through the NAT, and the resource's segment back, both rewritten in place. */
    @Benchmark
    public int natOutboundAndInbound() {
        long now = nowNs += 1000;
        natWork.put(0, natPristine, 0, natLength);
        int sent = table.translateOutbound(parser.parseOrNull(natWork, 0, natLength), now, natWork, 0, 2048);
        natOut.put(0, replyPristine, 0, replyLength);
        int received = ports.translateInbound(parser.parseOrNull(natOut, 0, replyLength), now, natOut, 0, 2048);
        return sent + received;
    }

    private static int tcpPacket(ByteBuffer buffer, int version, long sourceHigh, long sourceLow, long destinationHigh,
            long destinationLow, int source4, int destination4) {
        return BenchmarkPackets.tcpAck(buffer, version, sourceHigh, sourceLow, destinationHigh, destinationLow, source4,
                destination4, 1280);
    }
}
