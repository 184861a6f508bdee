package zonegate.packet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 header (RFC 791) in place, obtained from {@link IpPacket#ipv4()} after {@link PacketParser}
 * validated it. The header is always complete; the view covers the whole packet (header and payload,
 * up to the total length, or up to the quoted bytes for a packet quoted in an ICMP error).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |   DSCP    |ECN|          Total Length         |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|     Fragment Offset     |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |        Header Checksum        |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Source Address                         | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Destination Address                       | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL - 5 words)                    | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Addresses are {@code int}s in network order ({@code 10.0.0.1} is {@code 0x0A000001}). Every setter
 * keeps the header checksum valid and, for addresses, the TCP or UDP checksum too (through the
 * pseudo-header; a UDP checksum of 0 stays 0). ICMPv4 has no pseudo-header, so address changes do not
 * touch it.
 */
public final class Ipv4View extends BufferView {
    static final int MIN_HEADER_BYTES = 20;
    private static final int TOTAL_LENGTH = 2;
    private static final int IDENTIFICATION = 4;
    private static final int FLAGS_FRAGMENT = 6;
    private static final int TTL_PROTOCOL = 8;
    private static final int CHECKSUM = 10;
    private static final int SOURCE = 12;
    private static final int DESTINATION = 16;

    /** Transport checksum relative to the view, or -1 when absent (ICMP, non-first fragment, cut-off quote). */
    int l4ChecksumAt = -1;
    boolean l4ZeroMeansAbsent;

    Ipv4View() {
    }

    public int headerLengthBytes() {
        return (u8(0) & 0x0F) * 4;
    }

    /** The whole type-of-service byte (DSCP in the high six bits, ECN in the low two). */
    public int trafficClass() {
        return u8(1);
    }

    public int dscp() {
        return u8(1) >>> 2;
    }

    public int ecn() {
        return u8(1) & 0x03;
    }

    public int totalLengthBytes() {
        return u16(TOTAL_LENGTH);
    }

    public int identification() {
        return u16(IDENTIFICATION);
    }

    public boolean dontFragment() {
        return (u16(FLAGS_FRAGMENT) & 0x4000) != 0;
    }

    public boolean moreFragments() {
        return (u16(FLAGS_FRAGMENT) & 0x2000) != 0;
    }

    public int fragmentOffsetBytes() {
        return (u16(FLAGS_FRAGMENT) & 0x1FFF) * 8;
    }

    public int ttl() {
        return u8(TTL_PROTOCOL);
    }

    public int protocol() {
        return u8(TTL_PROTOCOL + 1);
    }

    public int headerChecksum() {
        return u16(CHECKSUM);
    }

    public int source() {
        return i32(SOURCE);
    }

    public int destination() {
        return i32(DESTINATION);
    }

    /** Absolute index of the first option byte (there are {@link #optionsLengthBytes()} of them). */
    public int optionsOffset() {
        return offset + MIN_HEADER_BYTES;
    }

    public int optionsLengthBytes() {
        return headerLengthBytes() - MIN_HEADER_BYTES;
    }

    /** Absolute index of the first payload byte. */
    public int payloadOffset() {
        return offset + headerLengthBytes();
    }

    /** Payload bytes present in the view (fewer than the total length promises in a short quote). */
    public int payloadLengthBytes() {
        return length - headerLengthBytes();
    }

    /** Copies the 4 source address bytes into {@code destination[at..at+3]}. */
    public void copySource(byte[] destination, int at) {
        buffer.get(offset + SOURCE, destination, at, 4);
    }

    /** Copies the 4 destination address bytes into {@code destination[at..at+3]}. */
    public void copyDestination(byte[] destination, int at) {
        buffer.get(offset + DESTINATION, destination, at, 4);
    }

    /** The source as an {@link Inet4Address} (allocates: not for the data path). */
    public Inet4Address sourceAddress() {
        return toInet(source());
    }

    /** The destination as an {@link Inet4Address} (allocates: not for the data path). */
    public Inet4Address destinationAddress() {
        return toInet(destination());
    }

    public void setSource(int address) {
        setAddress(SOURCE, address);
    }

    public void setDestination(int address) {
        setAddress(DESTINATION, address);
    }

    public void setTtl(int ttl) {
        setWord(TTL_PROTOCOL, (ttl & 0xFF) << 8 | protocol());
    }

    /** Sets the whole type-of-service byte (DSCP and ECN). */
    public void setTrafficClass(int trafficClass) {
        setWord(0, u8(0) << 8 | (trafficClass & 0xFF));
    }

    public void setDscp(int dscp) {
        setTrafficClass((dscp & 0x3F) << 2 | ecn());
    }

    public void setEcn(int ecn) {
        setTrafficClass(dscp() << 2 | (ecn & 0x03));
    }

    /** The header checksum the header should carry (computed in full, the field counted as zero). */
    public int computeHeaderChecksum() {
        return Checksum.computeSkipping(buffer, offset, headerLengthBytes(), offset + CHECKSUM, 0);
    }

    public boolean isHeaderChecksumValid() {
        return Checksum.sum(buffer, offset, headerLengthBytes()) == 0xFFFF;
    }

    /** Recomputes and writes the header checksum in full. */
    public void updateHeaderChecksum() {
        put16(CHECKSUM, computeHeaderChecksum());
    }

    private void setWord(int relative, int word) {
        int old = u16(relative);
        put16(relative, word);
        put16(CHECKSUM, Checksum.update16(u16(CHECKSUM), old, word & 0xFFFF));
    }

    private void setAddress(int relative, int address) {
        int oldSum = Checksum.sum32(i32(relative));
        int newSum = Checksum.sum32(address);
        put32(relative, address);
        put16(CHECKSUM, Checksum.update(u16(CHECKSUM), oldSum, newSum));
        if (l4ChecksumAt >= 0) {
            adjustChecksumAt(l4ChecksumAt, oldSum, newSum, l4ZeroMeansAbsent);
        }
    }

    static Inet4Address toInet(int address) {
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
