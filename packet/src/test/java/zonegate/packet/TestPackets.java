package zonegate.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Test-only packet generator and an independent reference checksum checker (naive byte loops, no code
 * from the module under test), so rewrites can be compared with a full recomputation.
 */
final class TestPackets {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMPV6 = 58;

    private TestPackets() {
    }

    // ---- reference arithmetic -------------------------------------------------------------------

    static int refSum(byte[] b, int off, int len, long initial) {
        long acc = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xFF;
            int lo = i + 1 < len ? b[off + i + 1] & 0xFF : 0;
            acc += hi << 8 | lo;
        }
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) acc;
    }

    /** Full checksum of {@code b[off, off+len)} with the field at {@code field} counted as zero. */
    static int refChecksum(byte[] b, int off, int len, int field, long pseudo) {
        byte[] copy = Arrays.copyOfRange(b, off, off + len);
        copy[field - off] = 0;
        copy[field - off + 1] = 0;
        return ~refSum(copy, 0, len, pseudo) & 0xFFFF;
    }

    static long pseudo(byte[] p, int ipOff, int version, int protocol, int upperLen) {
        long acc = protocol + upperLen;
        int from = version == 4 ? ipOff + 12 : ipOff + 8;
        int addressBytes = version == 4 ? 8 : 32;
        return acc + refSum(p, from, addressBytes, 0);
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    // ---- reference layout walk ------------------------------------------------------------------

    /** {transportOffset, protocol, fragmentOffset}; transport length = ip end - transport offset. */
    static int[] locate(byte[] p, int off) {
        int version = (p[off] & 0xFF) >>> 4;
        if (version == 4) {
            return new int[] {off + (p[off] & 0x0F) * 4, p[off + 9] & 0xFF, (u16(p, off + 6) & 0x1FFF) * 8};
        }
        int next = p[off + 6] & 0xFF;
        int at = off + 40;
        int fragmentOffset = 0;
        while (next == 0 || next == 43 || next == 60 || next == 51 || next == 44) {
            int len = next == 44 ? 8 : next == 51 ? ((p[at + 1] & 0xFF) + 2) * 4 : ((p[at + 1] & 0xFF) + 1) * 8;
            if (next == 44) {
                fragmentOffset = u16(p, at + 2) & 0xFFF8;
            }
            next = p[at] & 0xFF;
            at += len;
        }
        return new int[] {at, next, fragmentOffset};
    }

    static int ipLength(byte[] p, int off) {
        return (p[off] & 0xFF) >>> 4 == 4 ? u16(p, off + 2) : 40 + u16(p, off + 4);
    }

    /** Computes every checksum of a complete packet (and of its quoted packet's IP header) in place. */
    static void fixChecksums(byte[] p, int off) {
        int version = (p[off] & 0xFF) >>> 4;
        int end = off + ipLength(p, off);
        int[] l = locate(p, off);
        int t = l[0];
        int len = end - t;
        if (l[1] == ICMP || l[1] == ICMPV6) {
            int type = p[t] & 0xFF;
            boolean error = l[1] == ICMP ? type == 3 || type == 11 : type < 128;
            if (error && (p[t + 8] & 0xF0) == 0x40) {
                int inner = t + 8;
                put16(p, inner + 10, refChecksum(p, inner, (p[inner] & 0x0F) * 4, inner + 10, 0));
            }
            long ps = l[1] == ICMPV6 ? pseudo(p, off, 6, ICMPV6, len) : 0;
            put16(p, t + 2, refChecksum(p, t, len, t + 2, ps));
        } else if (l[1] == TCP) {
            put16(p, t + 16, refChecksum(p, t, len, t + 16, pseudo(p, off, version, TCP, len)));
        } else if (l[1] == UDP && !(version == 4 && u16(p, t + 6) == 0)) {
            int c = refChecksum(p, t, len, t + 6, pseudo(p, off, version, UDP, len));
            put16(p, t + 6, c == 0 ? 0xFFFF : c);
        }
        if (version == 4) {
            put16(p, off + 10, refChecksum(p, off, (p[off] & 0x0F) * 4, off + 10, 0));
        }
    }

    /**
     * Null when every checksum in the packet (IPv4 header, transport; for an ICMP error also the quoted
     * IPv4 header and, when the quote is the whole packet, the quoted transport checksum) equals a full
     * recomputation; otherwise a description of the first mismatch.
     */
    static String checksumMismatch(byte[] p, int off) {
        int version = (p[off] & 0xFF) >>> 4;
        int end = off + ipLength(p, off);
        if (version == 4) {
            int hl = (p[off] & 0x0F) * 4;
            if (u16(p, off + 10) != refChecksum(p, off, hl, off + 10, 0)) {
                return "IPv4 header";
            }
        }
        int[] l = locate(p, off);
        if (l[2] != 0) {
            return null;
        }
        int t = l[0];
        int len = end - t;
        int expected;
        int actual;
        switch (l[1]) {
            case TCP -> {
                expected = refChecksum(p, t, len, t + 16, pseudo(p, off, version, TCP, len));
                actual = u16(p, t + 16);
            }
            case UDP -> {
                actual = u16(p, t + 6);
                if (version == 4 && actual == 0) {
                    return null;
                }
                int c = refChecksum(p, t, len, t + 6, pseudo(p, off, version, UDP, len));
                expected = c == 0 ? 0xFFFF : c;
            }
            default -> {
                long ps = l[1] == ICMPV6 ? pseudo(p, off, 6, ICMPV6, len) : 0;
                expected = refChecksum(p, t, len, t + 2, ps);
                actual = u16(p, t + 2);
                int type = p[t] & 0xFF;
                boolean error = l[1] == ICMP ? type == 3 || type == 11 : type < 128;
                if (expected == actual && error) {
                    return innerMismatch(p, t + 8, end);
                }
            }
        }
        return expected == actual ? null
                : "transport " + l[1] + " expected " + Integer.toHexString(expected) + " was " + Integer.toHexString(actual);
    }

    private static String innerMismatch(byte[] p, int inner, int end) {
        int version = (p[inner] & 0xFF) >>> 4;
        if (version == 4) {
            int hl = (p[inner] & 0x0F) * 4;
            if (u16(p, inner + 10) != refChecksum(p, inner, hl, inner + 10, 0)) {
                return "quoted IPv4 header";
            }
        }
        if (inner + ipLength(p, inner) != end) {
            return null;
        }
        String mismatch = checksumMismatch(Arrays.copyOfRange(p, inner, end), 0);
        return mismatch == null ? null : "quoted " + mismatch;
    }

    // ---- generators -----------------------------------------------------------------------------

    static byte[] bytes(RandomGenerator r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static byte[] tcp(RandomGenerator r) {
        int optionWords = r.nextInt(11);
        byte[] s = bytes(r, 20 + optionWords * 4 + r.nextInt(120));
        s[12] = (byte) ((5 + optionWords) << 4);
        return s;
    }

    static byte[] udp(RandomGenerator r, boolean zeroChecksum) {
        byte[] s = bytes(r, 8 + r.nextInt(120));
        put16(s, 4, s.length);
        put16(s, 6, zeroChecksum ? 0 : 1);
        return s;
    }

    static byte[] echo(RandomGenerator r, boolean v6, boolean request) {
        byte[] s = bytes(r, 8 + r.nextInt(64));
        s[0] = (byte) (v6 ? (request ? 128 : 129) : (request ? 8 : 0));
        s[1] = 0;
        return s;
    }

    /** An ICMP error quoting {@code quoteBytes} bytes of {@code inner}. */
    static byte[] error(RandomGenerator r, boolean v6, byte[] inner, int quoteBytes) {
        byte[] s = new byte[8 + quoteBytes];
        s[0] = (byte) (v6 ? 1 : 3);
        s[1] = (byte) r.nextInt(5);
        System.arraycopy(inner, 0, s, 8, quoteBytes);
        return s;
    }

    static byte[] ipv4(RandomGenerator r, int protocol, byte[] segment, int optionWords) {
        int hl = 20 + optionWords * 4;
        byte[] p = new byte[hl + segment.length];
        r.nextBytes(p);
        p[0] = (byte) (0x40 | hl / 4);
        put16(p, 2, p.length);
        put16(p, 6, r.nextBoolean() ? 0x4000 : 0);
        p[9] = (byte) protocol;
        System.arraycopy(segment, 0, p, hl, segment.length);
        fixChecksums(p, 0);
        return p;
    }

    static byte[] ipv6(RandomGenerator r, int protocol, byte[] segment, int extensionHeaders) {
        byte[] ext = new byte[extensionHeaders * 24];
        int used = 0;
        int first = protocol;
        int[] kinds = new int[extensionHeaders];
        for (int i = 0; i < extensionHeaders; i++) {
            int[] choices = i == 0 ? new int[] {0, 43, 60, 51, 44} : new int[] {43, 60, 51, 44};
            kinds[i] = choices[r.nextInt(choices.length)];
        }
        int[] at = new int[extensionHeaders];
        for (int i = 0; i < extensionHeaders; i++) {
            int kind = kinds[i];
            int len = kind == 44 ? 8 : 8 * (1 + r.nextInt(2));
            at[i] = used;
            for (int j = 0; j < len; j++) {
                ext[used + j] = (byte) r.nextInt(256);
            }
            ext[used + 1] = (byte) (kind == 51 ? len / 4 - 2 : kind == 44 ? 0 : len / 8 - 1);
            if (kind == 44) {
                put16(ext, used + 2, 0); // atomic fragment: offset 0, M=0
            }
            if (kind == 43) {
                ext[used + 3] = 0; // segments left 0: the destination field is the final destination
            }
            used += len;
        }
        for (int i = 0; i < extensionHeaders; i++) {
            ext[at[i]] = (byte) (i + 1 < extensionHeaders ? kinds[i + 1] : protocol);
        }
        if (extensionHeaders > 0) {
            first = kinds[0];
        }
        byte[] p = new byte[40 + used + segment.length];
        r.nextBytes(p);
        p[0] = (byte) (0x60 | (p[0] & 0x0F));
        put16(p, 4, used + segment.length);
        p[6] = (byte) first;
        System.arraycopy(ext, 0, p, 40, used);
        System.arraycopy(segment, 0, p, 40 + used, segment.length);
        fixChecksums(p, 0);
        return p;
    }

    /** A random valid packet: TCP, UDP, ICMP echo, or (when {@code allowError}) an ICMP error quoting another. */
    static byte[] random(RandomGenerator r, int version, boolean allowError) {
        boolean v6 = version == 6;
        int kind = r.nextInt(allowError ? 4 : 3);
        int protocol = kind == 0 ? TCP : kind == 1 ? UDP : v6 ? ICMPV6 : ICMP;
        byte[] segment = switch (kind) {
            case 0 -> tcp(r);
            case 1 -> udp(r, !v6 && r.nextInt(5) == 0);
            case 2 -> echo(r, v6, r.nextBoolean());
            default -> {
                byte[] inner = random(r, version, false);
                int minimum = v6 ? inner.length : ((inner[0] & 0x0F) * 4 + 8);
                int quote = r.nextBoolean() ? inner.length : minimum + r.nextInt(inner.length - minimum + 1);
                yield error(r, v6, inner, quote);
            }
        };
        return v6 ? ipv6(r, protocol, segment, r.nextInt(4)) : ipv4(r, protocol, segment, r.nextInt(11));
    }

    /** Copies {@code packet} into a fresh heap or direct buffer at a random offset; returns {buffer, offset}. */
    static ByteBuffer place(RandomGenerator r, byte[] packet, int offset) {
        ByteBuffer b = r.nextBoolean() ? ByteBuffer.allocateDirect(offset + packet.length + 16)
                : ByteBuffer.allocate(offset + packet.length + 16);
        b.put(offset, packet);
        return b;
    }

    static byte[] read(ByteBuffer b, int offset, int length) {
        byte[] out = new byte[length];
        b.get(offset, out);
        return out;
    }

    static RandomGenerator seeded(long seed) {
        return java.util.random.RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    static byte[] hex(String hex) {
        String h = hex.replaceAll("\\s", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
