package zonegate.packet.gso;

import java.nio.ByteBuffer;
import zonegate.packet.Checksum;
import zonegate.packet.internal.Bytes;

/** The IP header rules and fix-ups {@link TcpCoalescer} and {@link UdpCoalescer} share. */
final class SuperPacketHeaders {
    private SuperPacketHeaders() {
    }

    /**
     * Whether the IP header at {@code packet[b]} matches the super-packet's at {@code out[a]} in every field
     * that must be equal to join: for IPv4 version/IHL/TOS, flags/fragment/TTL/protocol and the addresses
     * (not the length, id or checksum); for IPv6 version/traffic class/flow label, next header, hop limit
     * and the addresses.
     */
    static boolean sameIpHeader(ByteBuffer out, int a, ByteBuffer packet, int b, int ipVersion) {
        if (ipVersion == 4) {
            return Bytes.u16(out, a) == Bytes.u16(packet, b) && Bytes.i32(out, a + 6) == Bytes.i32(packet, b + 6)
                    && Bytes.i64(out, a + 12) == Bytes.i64(packet, b + 12);
        }
        return Bytes.i32(out, a) == Bytes.i32(packet, b) && Bytes.u16(out, a + 6) == Bytes.u16(packet, b + 6)
                && Bytes.i64(out, a + 8) == Bytes.i64(packet, b + 8) && Bytes.i64(out, a + 16) == Bytes.i64(packet, b + 16)
                && Bytes.i64(out, a + 24) == Bytes.i64(packet, b + 24) && Bytes.i64(out, a + 32) == Bytes.i64(packet, b + 32);
    }

    /**
     * Sets the super-packet's IP length ({@code length} bytes of IP packet at {@code out[ip]}) and, for IPv4,
     * its header checksum.
     *
     * @return the pseudo-header sum over the transport length, the partial checksum the kernel completes
     */
    static int setLengths(ByteBuffer out, int ip, int ipVersion, int ipHeaderBytes, int length, int protocol) {
        int transportLength = length - ipHeaderBytes;
        if (ipVersion == 4) {
            Bytes.put16(out, ip + 2, length);
            Bytes.put16(out, ip + 10, 0);
            Bytes.put16(out, ip + 10, Checksum.compute(out, ip, ipHeaderBytes));
            return Checksum.pseudoHeaderSum4(Bytes.i32(out, ip + 12), Bytes.i32(out, ip + 16), protocol, transportLength);
        }
        Bytes.put16(out, ip + 4, transportLength);
        return Checksum.pseudoHeaderSum6(Bytes.i64(out, ip + 8), Bytes.i64(out, ip + 16), Bytes.i64(out, ip + 24),
                Bytes.i64(out, ip + 32), protocol, transportLength);
    }
}
