package zonegate.packet.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Big-endian (network order) absolute reads and writes on a {@link ByteBuffer}, whatever the buffer's own
 * {@link ByteBuffer#order()} is, for heap and direct buffers alike. Indices are absolute and are checked
 * against the buffer's limit by the JDK.
 */
public final class Bytes {
    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {
    }

    public static int u8(ByteBuffer buffer, int index) {
        return buffer.get(index) & 0xFF;
    }

    public static void put8(ByteBuffer buffer, int index, int value) {
        buffer.put(index, (byte) value);
    }

    public static int u16(ByteBuffer buffer, int index) {
        return (short) SHORT.get(buffer, index) & 0xFFFF;
    }

    public static void put16(ByteBuffer buffer, int index, int value) {
        SHORT.set(buffer, index, (short) value);
    }

    public static int i32(ByteBuffer buffer, int index) {
        return (int) INT.get(buffer, index);
    }

    public static void put32(ByteBuffer buffer, int index, int value) {
        INT.set(buffer, index, value);
    }

    public static long i64(ByteBuffer buffer, int index) {
        return (long) LONG.get(buffer, index);
    }

    public static void put64(ByteBuffer buffer, int index, long value) {
        LONG.set(buffer, index, value);
    }

    /** Copies {@code length} bytes between absolute positions, without touching either buffer's position. */
    public static void copy(ByteBuffer from, int fromIndex, ByteBuffer to, int toIndex, int length) {
        to.put(toIndex, from, fromIndex, length);
    }
}
