package zonegate.packet.internal;

import java.nio.ByteBuffer;
import zonegate.packet.Checksum;

/** Writes fixed IPv4 and IPv6 headers (no options, no extension headers) for packets the gateway originates. */
public final class HeaderWriter {
    /** TTL / hop limit of originated packets (RFC 1700's recommended default). */
    public static final int DEFAULT_HOP_LIMIT = 64;

    private HeaderWriter() {
    }

    /** A 20-byte IPv4 header with a valid header checksum; identification 0, no flags. */
    public static void ipv4(ByteBuffer out, int at, int totalBytes, int protocol, int source, int destination) {
        Bytes.put32(out, at, 0x4500_0000 | totalBytes);
        Bytes.put32(out, at + 4, 0);
        Bytes.put32(out, at + 8, DEFAULT_HOP_LIMIT << 24 | protocol << 16);
        Bytes.put32(out, at + 12, source);
        Bytes.put32(out, at + 16, destination);
        Bytes.put16(out, at + 10, Checksum.compute(out, at, 20));
    }

    /** A 40-byte IPv6 header; traffic class and flow label 0. */
    public static void ipv6(ByteBuffer out, int at, int payloadBytes, int nextHeader, long sourceHigh, long sourceLow,
                            long destinationHigh, long destinationLow) {
        Bytes.put32(out, at, 0x6000_0000);
        Bytes.put32(out, at + 4, payloadBytes << 16 | nextHeader << 8 | DEFAULT_HOP_LIMIT);
        Bytes.put64(out, at + 8, sourceHigh);
        Bytes.put64(out, at + 16, sourceLow);
        Bytes.put64(out, at + 24, destinationHigh);
        Bytes.put64(out, at + 32, destinationLow);
    }
}
