package zonegate.shell.io;

import java.nio.ByteBuffer;
import zonegate.packet.Checksum;

/** ICMPv4 echo requests built byte by byte for the TUN tests, and a matcher for the kernel's replies. */
public final class IcmpEcho {
    private IcmpEcho() {
    }

    /** Writes an echo request from {@code source} to {@code destination} at position 0; returns its length. */
    public static int writeRequest(ByteBuffer out, int source, int destination, int identifier, int sequence) {
        int payloadBytes = 32;
        int total = 20 + 8 + payloadBytes;
        out.clear();
        out.put(0, (byte) 0x45).put(1, (byte) 0).putShort(2, (short) total).putShort(4, (short) sequence)
                .putShort(6, (short) 0).put(8, (byte) 64).put(9, (byte) 1).putShort(10, (short) 0)
                .putInt(12, source).putInt(16, destination);
        out.putShort(10, (short) Checksum.compute(out, 0, 20));
        out.put(20, (byte) 8).put(21, (byte) 0).putShort(22, (short) 0)
                .putShort(24, (short) identifier).putShort(26, (short) sequence);
        for (int i = 0; i < payloadBytes; i++) {
            out.put(28 + i, (byte) i);
        }
        out.putShort(22, (short) Checksum.compute(out, 20, 8 + payloadBytes));
        out.limit(total);
        return total;
    }

    /** Whether {@code packet} (position 0) is an IPv4 echo reply to {@code destination} with this id and sequence. */
    public static boolean isReply(ByteBuffer packet, int destination, int identifier, int sequence) {
        return packet.limit() >= 28 && (packet.get(0) & 0xF0) == 0x40 && packet.get(9) == 1
                && packet.getInt(16) == destination && packet.get(20) == 0
                && (packet.getShort(24) & 0xFFFF) == identifier && (packet.getShort(26) & 0xFFFF) == sequence;
    }

    public static int ipv4(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }
}
