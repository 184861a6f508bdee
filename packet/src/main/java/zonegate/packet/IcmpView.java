package zonegate.packet;

/**
 * The 8-byte header ICMPv4 and ICMPv6 share: type, code, checksum, then the echo identifier and
 * sequence (or a message-specific word). Fields cut off by a short quote read as -1; setters leave the
 * checksum valid (incrementally, so the IPv6 pseudo-header part stays right too).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Identifier (echo)            |  Sequence (echo)              |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public abstract sealed class IcmpView extends BufferView permits Icmpv4View, Icmpv6View {
    public static final int HEADER_BYTES = 8;
    static final int CHECKSUM = 2;

    IcmpView() {
    }

    public int type() {
        return has(1) ? u8(0) : -1;
    }

    public int code() {
        return has(2) ? u8(1) : -1;
    }

    public int checksum() {
        return has(4) ? u16(CHECKSUM) : -1;
    }

    /** Echo identifier (bytes 4-5; meaningful for echo request and reply). */
    public int identifier() {
        return has(6) ? u16(4) : -1;
    }

    /** Echo sequence number (bytes 6-7). */
    public int sequence() {
        return has(8) ? u16(6) : -1;
    }

    /** Absolute index of the data after the 8-byte header (echo data or the quoted packet). */
    public int dataOffset() {
        return offset + HEADER_BYTES;
    }

    public void setIdentifier(int identifier) {
        setWord(4, identifier);
    }

    public void setSequence(int sequence) {
        setWord(6, sequence);
    }

    private void setWord(int relative, int word) {
        if (!has(relative + 2)) {
            return;
        }
        int old = u16(relative);
        put16(relative, word);
        adjustChecksumAt(CHECKSUM, old, word & 0xFFFF, false);
    }
}
