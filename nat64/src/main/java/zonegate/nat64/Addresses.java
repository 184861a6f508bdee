package zonegate.nat64;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Conversions between {@link InetAddress} (control-plane values) and the primitive forms the data path
 * uses: IPv4 as an {@code int}, IPv6 as two {@code long} halves, both in network order. Allocates; not
 * for the data path.
 */
public final class Addresses {
    private Addresses() {
    }

    /** {@code 192.0.2.1} as {@code 0xC0000201}. */
    public static int ipv4(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
    }

    /** Bits 0-63 of an IPv6 address. */
    public static long high(Inet6Address address) {
        return high(address.getAddress());
    }

    /** Bits 64-127 of an IPv6 address. */
    public static long low(Inet6Address address) {
        return low(address.getAddress());
    }

    /** The IPv4 address for an {@code int} in network order. */
    public static Inet4Address toInet4(int address) {
        byte[] b = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** The IPv6 address for two halves in network order. */
    public static Inet6Address toInet6(long high, long low) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    static long high(byte[] bytes) {
        return half(bytes, 0);
    }

    static long low(byte[] bytes) {
        return half(bytes, 8);
    }

    private static long half(byte[] bytes, int from) {
        long value = 0;
        for (int i = from; i < from + 8; i++) {
            value = value << 8 | (bytes[i] & 0xFF);
        }
        return value;
    }
}
