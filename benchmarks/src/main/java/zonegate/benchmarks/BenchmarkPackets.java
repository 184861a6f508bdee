package zonegate.benchmarks;

import java.nio.ByteBuffer;
import zonegate.packet.Checksum;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;
import zonegate.packet.UdpWriter;

/** Packets the benchmarks start from, built once in their setup (never on the measured path). */
public final class BenchmarkPackets {
    private BenchmarkPackets() {
    }

    /**
     * Writes a {@code totalBytes} IP packet holding a TCP ACK segment from port 40000 to port 443 at the
     * start of {@code out} (built as a UDP datagram, then turned into TCP with valid checksums).
     * IPv6 addresses are (high, low) pairs; IPv4 addresses are ints.
     *
     * @return the packet's length
     */
    public static int tcpAck(ByteBuffer out, int version, long sourceHigh, long sourceLow, long destinationHigh,
            long destinationLow, int source4, int destination4, int totalBytes) {
        int ipHeader = version == 4 ? 20 : 40;
        ByteBuffer payload = ByteBuffer.allocate(totalBytes - ipHeader - 8);
        int n = version == 4
                ? UdpWriter.writeIpv4(source4, 40000, destination4, 443, payload, 0, payload.capacity(), out, 0,
                        out.capacity())
                : UdpWriter.writeIpv6(sourceHigh, sourceLow, 40000, destinationHigh, destinationLow, 443, payload, 0,
                        payload.capacity(), out, 0, out.capacity());
        out.put(version == 4 ? 9 : 6, (byte) 6);
        out.put(ipHeader + 12, (byte) 0x50);
        out.put(ipHeader + 13, (byte) 0x10);
        if (version == 4) {
            out.putShort(10, (short) 0);
            out.putShort(10, (short) Checksum.compute(out, 0, 20));
        }
        IpPacket packet = new PacketParser().parseOrNull(out, 0, n);
        packet.updateChecksums();
        if (!packet.hasValidChecksums()) {
            throw new IllegalStateException("benchmark packet invalid");
        }
        return n;
    }
}
