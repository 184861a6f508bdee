package zonegate.stun.internal;

import java.nio.ByteBuffer;

/**
 * Network-order (big-endian) access to absolute indices of a buffer, whatever the buffer's own
 * {@link ByteBuffer#order()} is: callers hand us buffers they may have set to little-endian.
 */
public final class Wire {
    private Wire() {
    }

    public static int u8(ByteBuffer buffer, int index) {
        return buffer.get(index) & 0xFF;
    }

    public static int u16(ByteBuffer buffer, int index) {
        return (u8(buffer, index) << 8) | u8(buffer, index + 1);
    }

    public static int u32(ByteBuffer buffer, int index) {
        return (u16(buffer, index) << 16) | u16(buffer, index + 2);
    }

    public static long u64(ByteBuffer buffer, int index) {
        return ((long) u32(buffer, index) << 32) | (u32(buffer, index + 4) & 0xFFFF_FFFFL);
    }

    public static void put8(ByteBuffer buffer, int index, int value) {
        buffer.put(index, (byte) value);
    }

    public static void put16(ByteBuffer buffer, int index, int value) {
        buffer.put(index, (byte) (value >>> 8));
        buffer.put(index + 1, (byte) value);
    }

    public static void put32(ByteBuffer buffer, int index, int value) {
        put16(buffer, index, value >>> 16);
        put16(buffer, index + 2, value);
    }

    public static void put64(ByteBuffer buffer, int index, long value) {
        put32(buffer, index, (int) (value >>> 32));
        put32(buffer, index + 4, (int) value);
    }

    /** {@code length} rounded up to the next multiple of 4 (STUN's 32-bit attribute alignment). */
    public static int padded(int length) {
        return (length + 3) & ~3;
    }
}
