package zonegate.packet;

import java.net.Inet6Address;
import java.net.UnknownHostException;

/**
 * An IPv6 header (RFC 8200) in place, with its extension headers already walked by
 * {@link PacketParser} (hop-by-hop, routing, destination options, fragment, authentication header)
 * down to the upper layer. Obtained from {@link IpPacket#ipv6()}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |              Flow Label               |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Source Address (128 bits)                    |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Destination Address (128 bits)                 | 24
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       extension headers ... | upper-layer header ...           | 40
 * </pre>
 *
 * <p>Addresses are two {@code long}s each, high and low 64 bits in network order ({@code 2001:db8::1}
 * is high {@code 0x20010DB800000000L}, low {@code 1L}). Address setters keep the TCP, UDP or ICMPv6
 * checksum valid through the pseudo-header; traffic class and hop limit are not covered by any
 * checksum. The pseudo-header is taken with the Destination field as it is: a packet whose routing
 * header still has segments left is checksummed against its final destination instead (RFC 8200
 * section 8.1), which this view does not model.
 */
public final class Ipv6View extends BufferView {
    static final int HEADER_BYTES = 40;
    private static final int PAYLOAD_LENGTH = 4;
    private static final int NEXT_HEADER_HOP_LIMIT = 6;
    private static final int SOURCE = 8;
    private static final int DESTINATION = 24;

    int upperProtocol;
    /** Relative index of the upper-layer header. */
    int upperOffset;
    /** Relative index of the fragment header, or -1. */
    int fragmentHeaderAt = -1;
    int l4ChecksumAt = -1;
    boolean l4ZeroMeansAbsent;

    Ipv6View() {
    }

    public int trafficClass() {
        return (u16(0) >>> 4) & 0xFF;
    }

    public int dscp() {
        return trafficClass() >>> 2;
    }

    public int ecn() {
        return trafficClass() & 0x03;
    }

    public int flowLabel() {
        return i32(0) & 0xF_FFFF;
    }

    public int payloadLengthBytes() {
        return u16(PAYLOAD_LENGTH);
    }

    /** The Next Header field of the fixed header (the first extension header or the upper layer). */
    public int nextHeader() {
        return u8(NEXT_HEADER_HOP_LIMIT);
    }

    public int hopLimit() {
        return u8(NEXT_HEADER_HOP_LIMIT + 1);
    }

    public long sourceHigh() {
        return i64(SOURCE);
    }

    public long sourceLow() {
        return i64(SOURCE + 8);
    }

    public long destinationHigh() {
        return i64(DESTINATION);
    }

    public long destinationLow() {
        return i64(DESTINATION + 8);
    }

    /** The protocol after all extension headers (TCP, UDP, ICMPv6, or the next header of a non-first fragment). */
    public int upperLayerProtocol() {
        return upperProtocol;
    }

    /** Absolute index of the upper-layer header (or of the fragment data of a non-first fragment). */
    public int upperLayerOffset() {
        return offset + upperOffset;
    }

    public int extensionHeadersLengthBytes() {
        return upperOffset - HEADER_BYTES;
    }

    public boolean hasFragmentHeader() {
        return fragmentHeaderAt >= 0;
    }

    /** Fragment offset in bytes, 0 without a fragment header. */
    public int fragmentOffsetBytes() {
        return fragmentHeaderAt < 0 ? 0 : u16(fragmentHeaderAt + 2) & 0xFFF8;
    }

    public boolean moreFragments() {
        return fragmentHeaderAt >= 0 && (u16(fragmentHeaderAt + 2) & 1) != 0;
    }

    /** The fragment header's identification, 0 without a fragment header. */
    public int fragmentIdentification() {
        return fragmentHeaderAt < 0 ? 0 : i32(fragmentHeaderAt + 4);
    }

    public void copySource(byte[] destination, int at) {
        buffer.get(offset + SOURCE, destination, at, 16);
    }

    public void copyDestination(byte[] destination, int at) {
        buffer.get(offset + DESTINATION, destination, at, 16);
    }

    /** The source as an {@link Inet6Address} (allocates: not for the data path). */
    public Inet6Address sourceAddress() {
        return toInet(sourceHigh(), sourceLow());
    }

    /** The destination as an {@link Inet6Address} (allocates: not for the data path). */
    public Inet6Address destinationAddress() {
        return toInet(destinationHigh(), destinationLow());
    }

    public void setSource(long high, long low) {
        setAddress(SOURCE, high, low);
    }

    public void setDestination(long high, long low) {
        setAddress(DESTINATION, high, low);
    }

    public void setHopLimit(int hopLimit) {
        put16(NEXT_HEADER_HOP_LIMIT, nextHeader() << 8 | (hopLimit & 0xFF));
    }

    public void setTrafficClass(int trafficClass) {
        put16(0, (u16(0) & 0xF00F) | (trafficClass & 0xFF) << 4);
    }

    public void setDscp(int dscp) {
        setTrafficClass((dscp & 0x3F) << 2 | ecn());
    }

    public void setEcn(int ecn) {
        setTrafficClass(dscp() << 2 | (ecn & 0x03));
    }

    private void setAddress(int relative, long high, long low) {
        int oldSum = Checksum.add(Checksum.sum64(i64(relative)), Checksum.sum64(i64(relative + 8)));
        int newSum = Checksum.add(Checksum.sum64(high), Checksum.sum64(low));
        put64(relative, high);
        put64(relative + 8, low);
        if (l4ChecksumAt >= 0) {
            adjustChecksumAt(l4ChecksumAt, oldSum, newSum, l4ZeroMeansAbsent);
        }
    }

    static Inet6Address toInet(long high, long low) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
