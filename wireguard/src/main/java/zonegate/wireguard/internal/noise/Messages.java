package zonegate.wireguard.internal.noise;

/**
 * Wire layouts of the four WireGuard messages (all integers little-endian).
 *
 * <pre>
 * initiation (148)   type=1 u32 | sender u32 | ephemeral 32 | static 32+16 | timestamp 12+16 | mac1 16 | mac2 16
 * response   (92)    type=2 u32 | sender u32 | receiver u32 | ephemeral 32 | empty 0+16       | mac1 16 | mac2 16
 * cookie     (64)    type=3 u32 | receiver u32 | nonce 24 | cookie 16+16
 * transport  (32+n)  type=4 u32 | receiver u32 | counter u64 | packet n+16
 * </pre>
 *
 * The type field is one byte followed by three zero bytes; anything else is not WireGuard.
 */
public final class Messages {
    public static final int TYPE_INITIATION = 1;
    public static final int TYPE_RESPONSE = 2;
    public static final int TYPE_COOKIE_REPLY = 3;
    public static final int TYPE_TRANSPORT = 4;

    public static final int INITIATION_BYTES = 148;
    public static final int INITIATION_SENDER = 4;
    public static final int INITIATION_EPHEMERAL = 8;
    public static final int INITIATION_STATIC = 40;
    public static final int INITIATION_TIMESTAMP = 88;
    public static final int INITIATION_MAC1 = 116;
    public static final int INITIATION_MAC2 = 132;

    public static final int RESPONSE_BYTES = 92;
    public static final int RESPONSE_SENDER = 4;
    public static final int RESPONSE_RECEIVER = 8;
    public static final int RESPONSE_EPHEMERAL = 12;
    public static final int RESPONSE_EMPTY = 44;
    public static final int RESPONSE_MAC1 = 60;
    public static final int RESPONSE_MAC2 = 76;

    public static final int COOKIE_REPLY_BYTES = 64;
    public static final int COOKIE_RECEIVER = 4;
    public static final int COOKIE_NONCE = 8;
    public static final int COOKIE_NONCE_BYTES = 24;
    public static final int COOKIE_ENCRYPTED = 32;

    public static final int TRANSPORT_HEADER_BYTES = 16;
    public static final int TRANSPORT_RECEIVER = 4;
    public static final int TRANSPORT_COUNTER = 8;
    /** Header plus Poly1305 tag: what a transport message adds to a packet (before padding). */
    public static final int TRANSPORT_OVERHEAD_BYTES = 32;

    public static final int TIMESTAMP_BYTES = 12;

    private Messages() {}

    /** Reads a little-endian u32 from {@code b[off..]}. */
    public static int le32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    /** Reads a little-endian u32 at {@code index}, whatever the buffer's byte order. */
    public static int le32(java.nio.ByteBuffer b, int index) {
        int v = b.getInt(index);
        return b.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? v : Integer.reverseBytes(v);
    }

    /** Reads a little-endian u64 at {@code index}, whatever the buffer's byte order. */
    public static long le64(java.nio.ByteBuffer b, int index) {
        long v = b.getLong(index);
        return b.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? v : Long.reverseBytes(v);
    }

    /** Writes a little-endian u32 at {@code index}, whatever the buffer's byte order. */
    public static void putLe32(java.nio.ByteBuffer b, int index, int v) {
        b.putInt(index, b.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? v : Integer.reverseBytes(v));
    }

    /** Writes a little-endian u64 at {@code index}, whatever the buffer's byte order. */
    public static void putLe64(java.nio.ByteBuffer b, int index, long v) {
        b.putLong(index, b.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? v : Long.reverseBytes(v));
    }

    /** Writes a little-endian u32 to {@code b[off..]}. */
    public static void putLe32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
