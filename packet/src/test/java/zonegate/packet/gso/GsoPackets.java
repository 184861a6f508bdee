package zonegate.packet.gso;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;

/** Builds test packets byte by byte and checks checksums with its own reference sum (not zonegate.packet.Checksum). */
final class GsoPackets {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ACK = 0x10;
    static final int PSH = 0x08;
    static final int FIN = 0x01;

    private GsoPackets() {
    }

    /** One flow's fixed header fields. */
    record Flow(int version, byte[] source, byte[] destination, int sourcePort, int destinationPort, byte[] tcpOptions) {
        static Flow v4(int last, byte[] options) {
            return new Flow(4, new byte[] {10, 0, 0, (byte) last}, new byte[] {100, 64, 0, 9}, 40000 + last, 5201,
                    options);
        }

        static Flow v6(int last, byte[] options) {
            byte[] s = new byte[16];
            byte[] d = new byte[16];
            s[0] = (byte) 0xfd;
            s[15] = (byte) last;
            d[0] = (byte) 0xfd;
            d[15] = 9;
            return new Flow(6, s, d, 40000 + last, 5201, options);
        }
    }

    static byte[] timestamps(int value, int echo) {
        return new byte[] {1, 1, 8, 10, (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value,
                (byte) (echo >>> 24), (byte) (echo >>> 16), (byte) (echo >>> 8), (byte) echo};
    }

    /** An IP packet with a TCP segment, all checksums valid. */
    static byte[] tcp(Flow flow, int ipId, int sequence, int ack, int flags, int window, byte[] payload) {
        int tcpHeader = 20 + flow.tcpOptions().length;
        byte[] l4 = new byte[tcpHeader + payload.length];
        put16(l4, 0, flow.sourcePort());
        put16(l4, 2, flow.destinationPort());
        put32(l4, 4, sequence);
        put32(l4, 8, ack);
        l4[12] = (byte) ((tcpHeader / 4) << 4);
        l4[13] = (byte) flags;
        put16(l4, 14, window);
        System.arraycopy(flow.tcpOptions(), 0, l4, 20, flow.tcpOptions().length);
        System.arraycopy(payload, 0, l4, tcpHeader, payload.length);
        return ip(flow, TCP, ipId, l4, 16);
    }

    /** An IP packet with a UDP datagram, all checksums valid. */
    static byte[] udp(Flow flow, int ipId, byte[] payload) {
        byte[] l4 = new byte[8 + payload.length];
        put16(l4, 0, flow.sourcePort());
        put16(l4, 2, flow.destinationPort());
        put16(l4, 4, l4.length);
        System.arraycopy(payload, 0, l4, 8, payload.length);
        return ip(flow, UDP, ipId, l4, 6);
    }

    private static byte[] ip(Flow flow, int protocol, int ipId, byte[] l4, int checksumOffset) {
        int ipHeader = flow.version() == 4 ? 20 : 40;
        byte[] p = new byte[ipHeader + l4.length];
        if (flow.version() == 4) {
            p[0] = 0x45;
            put16(p, 2, p.length);
            put16(p, 4, ipId);
            p[6] = 0x40;
            p[8] = 64;
            p[9] = (byte) protocol;
            System.arraycopy(flow.source(), 0, p, 12, 4);
            System.arraycopy(flow.destination(), 0, p, 16, 4);
        } else {
            p[0] = 0x60;
            p[2] = 0x12;
            put16(p, 4, l4.length);
            p[6] = (byte) protocol;
            p[7] = 64;
            System.arraycopy(flow.source(), 0, p, 8, 16);
            System.arraycopy(flow.destination(), 0, p, 24, 16);
        }
        System.arraycopy(l4, 0, p, ipHeader, l4.length);
        fixChecksums(p, checksumOffset);
        return p;
    }

    static void fixChecksums(byte[] p, int l4ChecksumOffset) {
        int ipHeader = ipHeaderBytes(p);
        if (version(p) == 4) {
            put16(p, 10, 0);
            put16(p, 10, ~refSum(p, 0, 20, 0) & 0xFFFF);
        }
        put16(p, ipHeader + l4ChecksumOffset, 0);
        int c = ~refSum(p, ipHeader, p.length - ipHeader, pseudo(p)) & 0xFFFF;
        put16(p, ipHeader + l4ChecksumOffset, c == 0 && protocol(p) == UDP ? 0xFFFF : c);
    }

    /** A packet behind a virtio header, in a direct buffer at index 0. */
    static ByteBuffer withHeader(byte[] packet, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
                                 int csumOffset) {
        ByteBuffer b = ByteBuffer.allocateDirect(VirtioNetHeader.BYTES + packet.length);
        VirtioNetHeader.write(b, 0, flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
        b.put(VirtioNetHeader.BYTES, packet);
        return b;
    }

    /**
     * The packet as the kernel hands a TSO/USO super-packet over: IP length fields for the whole, the
     * transport checksum field holding the pseudo-header sum (partial), the IPv4 checksum as it was.
     */
    static byte[] partial(byte[] superPacket) {
        byte[] p = superPacket.clone();
        int ipHeader = ipHeaderBytes(p);
        int field = ipHeader + (protocol(p) == TCP ? 16 : 6);
        put16(p, field, (int) fold(pseudo(p)));
        return p;
    }

    static int refSum(byte[] b, int off, int len, long initial) {
        long s = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            s += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xFF) << 8;
        }
        return (int) fold(s);
    }

    static long fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return s;
    }

    static long pseudo(byte[] p) {
        int ipHeader = ipHeaderBytes(p);
        long s = 0;
        int addrStart = version(p) == 4 ? 12 : 8;
        int addrBytes = version(p) == 4 ? 8 : 32;
        for (int i = 0; i < addrBytes; i += 2) {
            s += u16(p, addrStart + i);
        }
        int l4Length = p.length - ipHeader;
        return s + protocol(p) + (l4Length >>> 16) + (l4Length & 0xFFFF);
    }

    static boolean ipv4ChecksumValid(byte[] p) {
        return version(p) != 4 || refSum(p, 0, 20, 0) == 0xFFFF;
    }

    static boolean transportChecksumValid(byte[] p) {
        int ipHeader = ipHeaderBytes(p);
        return refSum(p, ipHeader, p.length - ipHeader, pseudo(p)) == 0xFFFF;
    }

    static int version(byte[] p) {
        return (p[0] & 0xFF) >>> 4;
    }

    static int ipHeaderBytes(byte[] p) {
        return version(p) == 4 ? (p[0] & 0x0F) * 4 : 40;
    }

    static int protocol(byte[] p) {
        return version(p) == 4 ? p[9] & 0xFF : p[6] & 0xFF;
    }

    static int transportHeaderBytes(byte[] p) {
        int ipHeader = ipHeaderBytes(p);
        return protocol(p) == TCP ? ((p[ipHeader + 12] & 0xF0) >>> 2) : 8;
    }

    static byte[] payload(byte[] p) {
        int start = ipHeaderBytes(p) + transportHeaderBytes(p);
        byte[] out = new byte[p.length - start];
        System.arraycopy(p, start, out, 0, out.length);
        return out;
    }

    static byte[] concat(Iterable<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static byte[] random(RandomGenerator r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static byte[] read(byte[] b, int offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(b, offset, out, 0, length);
        return out;
    }

    static byte[] read(ByteBuffer b, int offset, int length) {
        byte[] out = new byte[length];
        b.get(offset, out);
        return out;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int i32(byte[] b, int i) {
        return (u16(b, i) << 16) | u16(b, i + 2);
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, int v) {
        put16(b, i, v >>> 16);
        put16(b, i + 2, v);
    }
}
