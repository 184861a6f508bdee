package zonegate.packet.gso;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code struct virtio_net_hdr} (include/uapi/linux/virtio_net.h) that precedes every packet read
 * from or written to a TUN device opened with IFF_VNET_HDR. Ten bytes, in the host's byte order (little
 * endian on x86 and arm64; the device is never switched to TUNSETVNETBE):
 *
 * <pre>
 *  0        1        2                 4                 6                 8                 10
 * +--------+--------+-----------------+-----------------+-----------------+-----------------+
 * | flags  |gso_type|     hdr_len     |    gso_size     |   csum_start    |   csum_offset   |
 * +--------+--------+-----------------+-----------------+-----------------+-----------------+
 * </pre>
 *
 * <p>{@code flags} bit {@link #FLAG_NEEDS_CSUM}: the transport checksum is partial (the pseudo-header sum
 * sits at {@code csum_start + csum_offset}; the sum over {@code [csum_start, end)} is still to be added).
 * {@code gso_type}: {@link #GSO_NONE} for an ordinary packet, else the kind of super-packet, cut into
 * segments of {@code gso_size} payload bytes after {@code hdr_len} bytes of headers. Offsets are relative
 * to the IP header's first byte. All methods are static, pure and take absolute indices.
 */
public final class VirtioNetHeader {
    /** Size of the header (without the num_buffers field of virtio_net_hdr_mrg_rxbuf). */
    public static final int BYTES = 10;
    /** VIRTIO_NET_HDR_F_NEEDS_CSUM. */
    public static final int FLAG_NEEDS_CSUM = 1;
    /** VIRTIO_NET_HDR_GSO_NONE. */
    public static final int GSO_NONE = 0;
    /** VIRTIO_NET_HDR_GSO_TCPV4: TSO over IPv4. */
    public static final int GSO_TCPV4 = 1;
    /** VIRTIO_NET_HDR_GSO_TCPV6: TSO over IPv6. */
    public static final int GSO_TCPV6 = 4;
    /** VIRTIO_NET_HDR_GSO_UDP_L4: UDP segmentation (USO), IPv4 or IPv6. */
    public static final int GSO_UDP_L4 = 5;
    /** VIRTIO_NET_HDR_GSO_ECN, or-ed into {@code gso_type}: the super-packet carries ECN (CWR) marks. */
    public static final int GSO_ECN = 0x80;

    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private VirtioNetHeader() {
    }

    public static int flags(ByteBuffer buffer, int index) {
        return buffer.get(index) & 0xFF;
    }

    /** {@code gso_type} without the {@link #GSO_ECN} bit. */
    public static int gsoType(ByteBuffer buffer, int index) {
        return buffer.get(index + 1) & 0x7F;
    }

    public static int hdrLen(ByteBuffer buffer, int index) {
        return u16(buffer, index + 2);
    }

    public static int gsoSize(ByteBuffer buffer, int index) {
        return u16(buffer, index + 4);
    }

    public static int csumStart(ByteBuffer buffer, int index) {
        return u16(buffer, index + 6);
    }

    public static int csumOffset(ByteBuffer buffer, int index) {
        return u16(buffer, index + 8);
    }

    /** Writes a whole header at {@code index}. */
    public static void write(ByteBuffer buffer, int index, int flags, int gsoType, int hdrLen, int gsoSize,
                             int csumStart, int csumOffset) {
        buffer.put(index, (byte) flags);
        buffer.put(index + 1, (byte) gsoType);
        put16(buffer, index + 2, hdrLen);
        put16(buffer, index + 4, gsoSize);
        put16(buffer, index + 6, csumStart);
        put16(buffer, index + 8, csumOffset);
    }

    /** Writes the all-zero header of an ordinary packet with complete checksums. */
    public static void writeNone(ByteBuffer buffer, int index) {
        buffer.putLong(index, 0L);
        buffer.putShort(index + 8, (short) 0);
    }

    private static int u16(ByteBuffer buffer, int index) {
        int lo = buffer.get(LITTLE ? index : index + 1) & 0xFF;
        int hi = buffer.get(LITTLE ? index + 1 : index) & 0xFF;
        return hi << 8 | lo;
    }

    private static void put16(ByteBuffer buffer, int index, int value) {
        buffer.put(LITTLE ? index : index + 1, (byte) value);
        buffer.put(LITTLE ? index + 1 : index, (byte) (value >>> 8));
    }
}
