package zonegate.packet;

import java.nio.ByteBuffer;
import zonegate.packet.internal.Bytes;

/** Validation of the IPv4 header and the IPv6 header chain; the transport layer is bound by {@link IpPacket}. */
final class IpHeaderParsing {
    private IpHeaderParsing() {
    }

    static Rejection parse4(IpPacket packet, ByteBuffer b, int off, int len, int enclosing, FragmentPolicy policy) {
        boolean quoted = enclosing >= 0;
        if (len < Ipv4View.MIN_HEADER_BYTES) {
            return Rejection.TRUNCATED;
        }
        int headerBytes = (Bytes.u8(b, off) & 0x0F) * 4;
        if (headerBytes < Ipv4View.MIN_HEADER_BYTES) {
            return Rejection.BAD_HEADER_LENGTH;
        }
        if (headerBytes > len) {
            return Rejection.TRUNCATED;
        }
        int totalBytes = Bytes.u16(b, off + 2);
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
        if (!quoted && Checksum.sum(b, off, headerBytes) != 0xFFFF) {
            return Rejection.BAD_CHECKSUM;
        }
        int flagsFragment = Bytes.u16(b, off + 6);
        FragmentPosition fragment = (flagsFragment & 0x1FFF) != 0 ? FragmentPosition.NON_FIRST
                : (flagsFragment & 0x2000) != 0 ? FragmentPosition.FIRST : FragmentPosition.NONE;
        if (!quoted && fragment != FragmentPosition.NONE && policy == FragmentPolicy.REJECT) {
            return Rejection.FRAGMENT;
        }
        Ipv4View ip = packet.ipv4;
        ip.point(b, off, viewBytes, enclosing);
        ip.l4ChecksumAt = -1;
        packet.startBinding(b, off, viewBytes, 4, Bytes.u8(b, off + 9), fragment, enclosing);
        return packet.bindTransport(off + headerBytes, viewBytes - headerBytes);
    }

    static Rejection parse6(IpPacket packet, ByteBuffer b, int off, int len, int enclosing, FragmentPolicy policy) {
        boolean quoted = enclosing >= 0;
        if (len < Ipv6View.HEADER_BYTES) {
            return Rejection.TRUNCATED;
        }
        int payloadBytes = Bytes.u16(b, off + 4);
        int next = Bytes.u8(b, off + 6);
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
        boolean walking = true;
        while (walking) {
            switch (next) {
                case IpProtocol.HOP_BY_HOP, IpProtocol.ROUTING, IpProtocol.DESTINATION_OPTIONS,
                     IpProtocol.AUTHENTICATION -> {
                    if (next == IpProtocol.HOP_BY_HOP && at != Ipv6View.HEADER_BYTES) {
                        return Rejection.BAD_EXTENSION_HEADER;
                    }
                    if (at + 2 > viewBytes) {
                        return Rejection.TRUNCATED;
                    }
                    int lengthField = Bytes.u8(b, off + at + 1);
                    // AH counts 4-byte words minus 2 (RFC 4302); the others 8-byte units minus 1 (RFC 8200).
                    int extensionBytes = next == IpProtocol.AUTHENTICATION ? (lengthField + 2) * 4 : (lengthField + 1) * 8;
                    if (at + extensionBytes > viewBytes) {
                        return Rejection.TRUNCATED;
                    }
                    next = Bytes.u8(b, off + at);
                    at += extensionBytes;
                }
                case IpProtocol.FRAGMENT -> {
                    if (at + 8 > viewBytes) {
                        return Rejection.TRUNCATED;
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
}
