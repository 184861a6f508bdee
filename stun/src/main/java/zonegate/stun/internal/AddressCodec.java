package zonegate.stun.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The MAPPED-ADDRESS value layout and its XOR'ed form (RFC 8489 sections 14.1 and 14.2):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0 0 0 0 0 0 0|    Family     |         (X-)Port              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 (X-)Address (32 bits or 128 bits)             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * X-Port is the port XOR'ed with the cookie's top 16 bits; X-Address is the address XOR'ed with the
 * magic cookie (IPv4) or with the cookie followed by the 96-bit transaction id (IPv6). The XOR key is
 * therefore exactly header bytes 4..20 of the message, which is how both directions read it here.
 */
public final class AddressCodec {
    public static final int FAMILY_IPV4 = 0x01;
    public static final int FAMILY_IPV6 = 0x02;

    private AddressCodec() {
    }

    /** The port of the address value at {@code value}, un-XOR'ed when {@code xor}. */
    public static int port(ByteBuffer buffer, int value, boolean xor) {
        return Wire.u16(buffer, value + 2) ^ (xor ? 0x2112 : 0);
    }

    /**
     * Copies the address bytes (4 or 16 by family), un-XOR'ed when {@code xor} with the key at
     * {@code header + 4}.
     */
    public static void copyAddress(ByteBuffer buffer, int header, int value, int addressLength, boolean xor,
            byte[] dst) {
        for (int i = 0; i < addressLength; i++) {
            int key = xor ? buffer.get(header + 4 + i) : 0;
            dst[i] = (byte) (buffer.get(value + 4 + i) ^ key);
        }
    }

    /** The decoded socket address, or {@code null} for an unknown family. Allocates. */
    public static InetSocketAddress decode(ByteBuffer buffer, int header, int value, boolean xor) {
        int length = switch (Wire.u8(buffer, value + 1)) {
            case FAMILY_IPV4 -> 4;
            case FAMILY_IPV6 -> 16;
            default -> 0;
        };
        if (length == 0) {
            return null;
        }
        byte[] address = new byte[length];
        copyAddress(buffer, header, value, length, xor, address);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port(buffer, value, xor));
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** The value length {@link #encode} writes for {@code address}: 8 or 20. */
    public static int valueLength(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? 20 : 8;
    }

    /** Writes the value for {@code address} at {@code value}, XOR'ed with the header at {@code header}. */
    public static void encode(ByteBuffer buffer, int header, int value, InetSocketAddress address, boolean xor) {
        byte[] bytes = switch (address.getAddress()) {
            case Inet4Address v4 -> v4.getAddress();
            case Inet6Address v6 -> v6.getAddress();
            case null, default -> throw new IllegalArgumentException("not an IP socket address: " + address);
        };
        Wire.put8(buffer, value, 0);
        Wire.put8(buffer, value + 1, bytes.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6);
        Wire.put16(buffer, value + 2, address.getPort() ^ (xor ? 0x2112 : 0));
        for (int i = 0; i < bytes.length; i++) {
            int key = xor ? buffer.get(header + 4 + i) : 0;
            buffer.put(value + 4 + i, (byte) (bytes[i] ^ key));
        }
    }
}
