package zonegate.packet;

import java.nio.ByteBuffer;
import zonegate.packet.internal.Bytes;

/** Validation of the IPv4 header and the IPv6 header chain; the transport layer is bound by {@link IpPacket}. */
final class IpHeaderParsing {
    private static final Rejection[] REJECTIONS = Rejection.values();
    private static final FragmentPosition[] POSITIONS = FragmentPosition.values();
    private static final int WALK_INDEX_MASK = (1 << 20) - 1;

    private IpHeaderParsing() {
    }

    /** {@code first8}: the header's first 8 bytes, big-endian (valid once {@code len >= 8}). */
    static Rejection parse4(IpPacket packet, ByteBuffer b, int off, int len, long first8, int enclosing,
                            FragmentPolicy policy) {
        boolean quoted = enclosing >= 0;
        if (len < Ipv4View.MIN_HEADER_BYTES) {
            return Rejection.TRUNCATED;
        }
        int headerBytes = ((int) (first8 >>> 56) & 0x0F) * 4;
        if (headerBytes < Ipv4View.MIN_HEADER_BYTES) {
            return Rejection.BAD_HEADER_LENGTH;
        }
        if (headerBytes > len) {
            return Rejection.TRUNCATED;
        }
        int totalBytes = (int) (first8 >>> 32) & 0xFFFF;
        if (totalBytes < headerBytes) {
            return Rejection.BAD_TOTAL_LENGTH;
        }
        int viewBytes = totalBytes;
        if (totalBytes > len) {
            if (!quoted) {
                return Rejection.TRUNCATED;
            }
            viewBytes = len;
        }
        long second8 = Bytes.i64(b, off + 8);
        if (!quoted && headerSum(b, off, headerBytes, first8, second8) != 0xFFFF) {
            return Rejection.BAD_CHECKSUM;
        }
        int flagsFragment = (int) first8 & 0xFFFF;
        FragmentPosition fragment = (flagsFragment & 0x1FFF) != 0 ? FragmentPosition.NON_FIRST
                : (flagsFragment & 0x2000) != 0 ? FragmentPosition.FIRST : FragmentPosition.NONE;
        if (!quoted && fragment != FragmentPosition.NONE && policy == FragmentPolicy.REJECT) {
            return Rejection.FRAGMENT;
        }
        Ipv4View ip = packet.ipv4;
        ip.point(b, off, viewBytes, enclosing);
        ip.l4ChecksumAt = -1;
        packet.startBinding(b, off, viewBytes, 4, (int) (second8 >>> 48) & 0xFF, fragment, enclosing);
        return packet.bindTransport(off + headerBytes, viewBytes - headerBytes);
    }

    /** {@code first8}: the header's first 8 bytes, big-endian (valid once {@code len >= 8}). */
    static Rejection parse6(IpPacket packet, ByteBuffer b, int off, int len, long first8, int enclosing,
                            FragmentPolicy policy) {
        boolean quoted = enclosing >= 0;
        if (len < Ipv6View.HEADER_BYTES) {
            return Rejection.TRUNCATED;
        }
        int payloadBytes = (int) (first8 >>> 16) & 0xFFFF;
        int next = (int) (first8 >>> 8) & 0xFF;
        if (payloadBytes == 0 && next == IpProtocol.HOP_BY_HOP) {
            return Rejection.BAD_TOTAL_LENGTH;
        }
        int viewBytes = Ipv6View.HEADER_BYTES + payloadBytes;
        if (viewBytes > len) {
            if (!quoted) {
                return Rejection.TRUNCATED;
            }
            viewBytes = len;
        }
        int at = Ipv6View.HEADER_BYTES;
        int fragmentAt = -1;
        FragmentPosition fragment = FragmentPosition.NONE;
        if (isExtensionHeader(next)) {
            long walked = walkExtensionHeaders(b, off, viewBytes, next);
            if (walked < 0) {
                return REJECTIONS[(int) ~walked];
            }
            next = (int) walked & 0xFF;
            at = (int) (walked >>> 8) & WALK_INDEX_MASK;
            fragmentAt = ((int) (walked >>> 28) & WALK_INDEX_MASK) - 1;
            fragment = POSITIONS[(int) (walked >>> 48)];
        }
        if (!quoted && fragment != FragmentPosition.NONE && policy == FragmentPolicy.REJECT) {
            return Rejection.FRAGMENT;
        }
        Ipv6View ip = packet.ipv6;
        ip.point(b, off, viewBytes, enclosing);
        ip.upperProtocol = next;
        ip.upperOffset = at;
        ip.fragmentHeaderAt = fragmentAt;
        ip.l4ChecksumAt = -1;
        packet.startBinding(b, off, viewBytes, 6, next, fragment, enclosing);
        return packet.bindTransport(off + at, viewBytes - at);
    }

    private static boolean isExtensionHeader(int next) {
        return next == IpProtocol.HOP_BY_HOP || next == IpProtocol.ROUTING || next == IpProtocol.DESTINATION_OPTIONS
                || next == IpProtocol.AUTHENTICATION || next == IpProtocol.FRAGMENT;
    }

    /**
     * Walks the IPv6 extension-header chain starting with {@code next} at byte 40. Kept out of
     * {@link #parse6} so the common case (no extension headers) stays small enough for C2 to inline.
     *
     * @return {@code ~rejection.ordinal()} (negative), or packed: bits 0-7 the upper protocol, 8-27 its
     *     relative offset, 28-47 the fragment header's relative offset plus one (0: none), 48-49 the
     *     {@link FragmentPosition} ordinal. Offsets fit in 20 bits: they stay within 40 + 65535 bytes.
     */
    private static long walkExtensionHeaders(ByteBuffer b, int off, int viewBytes, int firstNext) {
        int next = firstNext;
        int at = Ipv6View.HEADER_BYTES;
        int fragmentAt = -1;
        FragmentPosition fragment = FragmentPosition.NONE;
        boolean walking = true;
        while (walking) {
            switch (next) {
                case IpProtocol.HOP_BY_HOP, IpProtocol.ROUTING, IpProtocol.DESTINATION_OPTIONS,
                     IpProtocol.AUTHENTICATION -> {
                    if (next == IpProtocol.HOP_BY_HOP && at != Ipv6View.HEADER_BYTES) {
                        return ~(long) Rejection.BAD_EXTENSION_HEADER.ordinal();
                    }
                    if (at + 2 > viewBytes) {
                        return ~(long) Rejection.TRUNCATED.ordinal();
                    }
                    int lengthField = Bytes.u8(b, off + at + 1);
                    // AH counts 4-byte words minus 2 (RFC 4302); the others 8-byte units minus 1 (RFC 8200).
                    int extensionBytes = next == IpProtocol.AUTHENTICATION ? (lengthField + 2) * 4 : (lengthField + 1) * 8;
                    if (at + extensionBytes > viewBytes) {
                        return ~(long) Rejection.TRUNCATED.ordinal();
                    }
                    next = Bytes.u8(b, off + at);
                    at += extensionBytes;
                }
                case IpProtocol.FRAGMENT -> {
                    if (at + 8 > viewBytes) {
                        return ~(long) Rejection.TRUNCATED.ordinal();
                    }
                    int offsetFlags = Bytes.u16(b, off + at + 2);
                    fragmentAt = at;
                    fragment = (offsetFlags & 0xFFF8) != 0 ? FragmentPosition.NON_FIRST
                            : (offsetFlags & 1) != 0 ? FragmentPosition.FIRST : FragmentPosition.NONE;
                    next = Bytes.u8(b, off + at);
                    at += 8;
                    walking = fragment != FragmentPosition.NON_FIRST;
                }
                default -> walking = false;
            }
        }
        return (long) fragment.ordinal() << 48 | (long) (fragmentAt + 1) << 28 | (long) at << 8 | next;
    }

    /** {@link Checksum#sum} of the IPv4 header, reusing its first 16 bytes when there are no options. */
    private static int headerSum(ByteBuffer b, int off, int headerBytes, long first8, long second8) {
        if (headerBytes != Ipv4View.MIN_HEADER_BYTES) {
            return Checksum.sum(b, off, headerBytes);
        }
        long acc = (first8 >>> 32) + (first8 & 0xFFFF_FFFFL) + (second8 >>> 32) + (second8 & 0xFFFF_FFFFL)
                + (Bytes.i32(b, off + 16) & 0xFFFF_FFFFL);
        return Checksum.fold(acc);
    }
}
