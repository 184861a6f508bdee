package zonegate.packet;

import java.nio.ByteBuffer;
import zonegate.packet.internal.Bytes;

/**
 * A window over a region of a {@link ByteBuffer} (heap or direct): the base of every wire view in this
 * module. A view holds no bytes of its own; it is re-pointed at the next packet instead of being
 * allocated again, so one view object serves a whole stream of packets.
 *
 * <p>Every write goes through one primitive that keeps an <em>enclosing checksum</em> valid: when the
 * view sits inside the quoted packet of an ICMP error, the ICMP message's checksum covers the view's
 * bytes, and each 16-bit word written is folded into it incrementally (RFC 1624). This is what lets a
 * NAT rewrite a quoted packet in place and leave the outer ICMP checksum correct.
 *
 * <p>Getters never read outside {@code [offset, offset + lengthBytes)}: a field cut off by a short
 * quote reads as {@code -1} (or {@code false}). Views are not thread-safe; one thread owns a view.
 */
public abstract sealed class BufferView permits Ipv4View, Ipv6View, UdpView, TcpView, IcmpView {
    ByteBuffer buffer;
    int offset;
    int length;
    /** Absolute index of the enclosing ICMP checksum, or -1 when the view is not inside a quote. */
    int enclosingChecksumAt = -1;

    BufferView() {
    }

    /** The buffer this view reads and writes (not a copy). */
    public final ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the view's first byte in {@link #buffer()}. */
    public final int offset() {
        return offset;
    }

    /** Number of bytes of the region the view covers. */
    public final int lengthBytes() {
        return length;
    }

    /** Whether this view is inside the quoted packet of an ICMP error (writes then fix the ICMP checksum). */
    public final boolean isQuoted() {
        return enclosingChecksumAt >= 0;
    }

    final void point(ByteBuffer buffer, int offset, int length, int enclosingChecksumAt) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.enclosingChecksumAt = enclosingChecksumAt;
    }

    final boolean has(int relativeEnd) {
        return relativeEnd <= length;
    }

    final int u8(int relative) {
        return Bytes.u8(buffer, offset + relative);
    }

    final int u16(int relative) {
        return Bytes.u16(buffer, offset + relative);
    }

    final int i32(int relative) {
        return Bytes.i32(buffer, offset + relative);
    }

    final long i64(int relative) {
        return Bytes.i64(buffer, offset + relative);
    }

    /** Writes a 16-bit word (relative index must be even from the start of the checksummed region). */
    final void put16(int relative, int value) {
        int at = offset + relative;
        int enclosing = enclosingChecksumAt;
        if (enclosing >= 0) {
            int old = Bytes.u16(buffer, at);
            Bytes.put16(buffer, enclosing, Checksum.update16(Bytes.u16(buffer, enclosing), old, value & 0xFFFF));
        }
        Bytes.put16(buffer, at, value);
    }

    final void put32(int relative, int value) {
        if (enclosingChecksumAt >= 0) {
            put16(relative, value >>> 16);
            put16(relative + 2, value);
        } else {
            Bytes.put32(buffer, offset + relative, value);
        }
    }

    final void put64(int relative, long value) {
        if (enclosingChecksumAt >= 0) {
            put32(relative, (int) (value >>> 32));
            put32(relative + 4, (int) value);
        } else {
            Bytes.put64(buffer, offset + relative, value);
        }
    }

    /**
     * Folds a change of covered words (sum {@code oldSum} became {@code newSum}) into the 16-bit checksum
     * at {@code relative}. With {@code zeroMeansAbsent} (UDP), a zero checksum stays zero and a result of
     * zero is written as 0xFFFF (RFC 768).
     */
    final void adjustChecksumAt(int relative, int oldSum, int newSum, boolean zeroMeansAbsent) {
        int current = u16(relative);
        if (zeroMeansAbsent && current == 0) {
            return;
        }
        int updated = Checksum.update(current, oldSum, newSum);
        if (zeroMeansAbsent && updated == 0) {
            updated = 0xFFFF;
        }
        put16(relative, updated);
    }

    static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
