package zonegate.nat64.internal;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;
import zonegate.nat64.DropReason;
import zonegate.packet.Checksum;
import zonegate.packet.FragmentPosition;
import zonegate.packet.Icmpv6View;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;
import zonegate.packet.Ipv6View;
import zonegate.packet.internal.Bytes;

/**
 * IPv6 to IPv4 (RFC 7915 section 5), writing into a caller's buffer. The IPv4 header is built fresh (its
 * checksum computed over its 20 bytes); transport checksums are fixed incrementally (RFC 1624) for the
 * change of pseudo-header, except the ICMPv4 checksum of a translated error, which is computed in full
 * because its type, code and quoted packet all change. IPv6 extension headers other than the fragment
 * header are not translated (RFC 7915 section 5.1); a routing header with segments left is a drop.
 */
public final class Translate6To4 {
    /** RFC 7915 section 5.1: DF is set when the translated packet is larger than 1260 bytes. */
    private static final int DF_THRESHOLD_BYTES = 1260;
    /** RFC 1812 section 4.3.2.3: an ICMPv4 error is at most 576 bytes. */
    private static final int MAX_ERROR_BYTES = 576;

    private final RandomGenerator identifications;
    private final boolean decrementHopLimit;

    /**
     * @param identifications   source of IPv4 identification values for packets without a fragment
     *                          header (RFC 7915 section 5.1, "a fragment identification generator")
     * @param decrementHopLimit whether to act as a router and decrement the hop limit
     */
    public Translate6To4(RandomGenerator identifications, boolean decrementHopLimit) {
        this.identifications = identifications;
        this.decrementHopLimit = decrementHopLimit;
    }

    /** Translates {@code in}, with the addresses of {@code plan}; returns the length or a drop code. */
    public int translate(IpPacket in, AddressPlan plan, ByteBuffer out, int off, int capacityBytes) {
        Ipv6View ip = in.ipv6();
        if (ip == null) {
            return DropReason.WRONG_VERSION.code();
        }
        int hop = ip.hopLimit();
        if (decrementHopLimit) {
            if (hop <= 1) {
                return DropReason.HOP_LIMIT_EXCEEDED.code();
            }
            hop--;
        }
        if (hasActiveRoutingHeader(ip)) {
            return DropReason.ROUTING_HEADER.code();
        }
        int protocol = in.protocol();
        if (protocol == IpProtocol.ICMPV6) {
            if (in.fragment() != FragmentPosition.NONE) {
                return DropReason.ICMP_FRAGMENT.code();
            }
            Icmpv6View icmp = in.icmpv6();
            if (icmp.isError()) {
                return translateError(in, ip, icmp, hop, plan, out, off, capacityBytes);
            }
            if (!icmp.isEchoRequest() && !icmp.isEchoReply()) {
                return DropReason.UNSUPPORTED_ICMP_TYPE.code();
            }
        }
        int upperAt = ip.upperLayerOffset();
        int upperBytes = in.offset() + in.lengthBytes() - upperAt;
        int total = 20 + upperBytes;
        if (total > 0xFFFF) {
            return DropReason.TOO_BIG_FOR_IPV4.code();
        }
        if (capacityBytes < total) {
            return DropReason.OUTPUT_TOO_SMALL.code();
        }
        writeHeader(out, off, ip.trafficClass(), total, identificationAndFlags(ip, total), hop, protocol,
                plan.source4, plan.destination4);
        out.put(off + 20, in.buffer(), upperAt, upperBytes);
        fixTransport(in, ip, upperBytes, plan.source4, plan.destination4, out, off + 20, upperBytes);
        return total;
    }

    private int translateError(IpPacket in, Ipv6View ip, Icmpv6View icmp, int hop, AddressPlan plan, ByteBuffer out,
                               int off, int capacityBytes) {
        int mapped = IcmpMapping.v6ErrorToV4(icmp.type(), icmp.code());
        IpPacket quoted = in.quoted();
        if (mapped < 0) {
            return DropReason.UNSUPPORTED_ICMP_TYPE.code();
        }
        if (quoted == null) {
            return DropReason.QUOTED_PACKET_INVALID.code();
        }
        int restOfHeader = 0;
        if (icmp.type() == Icmpv6View.PACKET_TOO_BIG) {
            // RFC 7915 section 5.2: the MTU shrinks by the header-size difference.
            restOfHeader = (int) Math.clamp(icmp.mtuBytes() - 20, 0, 0xFFFF);
        } else if (mapped == 12 << 8) {
            int pointer = IcmpMapping.pointer6to4(icmp.mtuBytes());
            if (pointer < 0) {
                return DropReason.UNSUPPORTED_ICMP_TYPE.code();
            }
            restOfHeader = pointer << 24;
        }
        int limit = Math.min(capacityBytes, MAX_ERROR_BYTES);
        if (limit < 28 + 20) {
            return DropReason.OUTPUT_TOO_SMALL.code();
        }
        int outerIdentification = identificationAndFlags(ip, 0);
        int innerBytes = translateQuoted(quoted, plan, out, off + 28, limit - 28);
        if (innerBytes < 0) {
            return innerBytes;
        }
        int total = 28 + innerBytes;
        writeHeader(out, off, ip.trafficClass(), total, outerIdentification, hop, IpProtocol.ICMP, plan.source4,
                plan.destination4);
        int at = off + 20;
        Bytes.put32(out, at, mapped << 16);
        Bytes.put32(out, at + 4, restOfHeader);
        Bytes.put16(out, at + 2, Checksum.compute(out, at, 8 + innerBytes));
        return total;
    }

    /** The invoking packet of an ICMPv6 error, possibly cut short, cut again to {@code limit} bytes. */
    private int translateQuoted(IpPacket quoted, AddressPlan plan, ByteBuffer out, int at, int limit) {
        Ipv6View ip = quoted.ipv6();
        int protocol = quoted.protocol();
        if (protocol == IpProtocol.ICMPV6) {
            Icmpv6View icmp = quoted.icmpv6();
            if (quoted.fragment() != FragmentPosition.NONE || icmp == null
                    || !icmp.isEchoRequest() && !icmp.isEchoReply()) {
                return DropReason.QUOTED_PACKET_INVALID.code();
            }
        }
        int upperAt = ip.upperLayerOffset();
        int present = quoted.offset() + quoted.lengthBytes() - upperAt;
        int declared = ip.payloadLengthBytes() - ip.extensionHeadersLengthBytes();
        int total = 20 + declared;
        if (declared < 0 || total > 0xFFFF) {
            return DropReason.QUOTED_PACKET_INVALID.code();
        }
        int copy = Math.min(present, limit - 20);
        writeHeader(out, at, ip.trafficClass(), total, identificationAndFlags(ip, total), ip.hopLimit(), protocol,
                plan.innerSource4, plan.innerDestination4);
        out.put(at + 20, quoted.buffer(), upperAt, copy);
        fixTransport(quoted, ip, declared, plan.innerSource4, plan.innerDestination4, out, at + 20, copy);
        return 20 + copy;
    }

    private int identificationAndFlags(Ipv6View ip, int totalBytes) {
        if (ip.hasFragmentHeader()) {
            // RFC 7915 section 5.1.1: low 16 bits of the identification, M copied, DF clear.
            return (ip.fragmentIdentification() & 0xFFFF) << 16 | (ip.moreFragments() ? 0x2000 : 0)
                    | ip.fragmentOffsetBytes() >>> 3;
        }
        return (identifications.nextInt() & 0xFFFF) << 16 | (totalBytes > DF_THRESHOLD_BYTES ? 0x4000 : 0);
    }

    private static void writeHeader(ByteBuffer out, int off, int trafficClass, int totalBytes, int identificationFlags,
                                    int ttl, int protocol, int source, int destination) {
        int protocol4 = protocol == IpProtocol.ICMPV6 ? IpProtocol.ICMP : protocol;
        int word0 = 0x4500_0000 | (trafficClass & 0xFF) << 16 | totalBytes;
        int word2 = (ttl & 0xFF) << 24 | protocol4 << 16;
        // The header checksum from the words being written, rather than read back from the buffer.
        int sum = Checksum.fold((long) Checksum.sum32(word0) + Checksum.sum32(identificationFlags)
                + Checksum.sum32(word2) + Checksum.sum32(source) + Checksum.sum32(destination));
        Bytes.put32(out, off, word0);
        Bytes.put32(out, off + 4, identificationFlags);
        Bytes.put32(out, off + 8, word2 | ~sum & 0xFFFF);
        Bytes.put32(out, off + 12, source);
        Bytes.put32(out, off + 16, destination);
    }

    /**
     * Fixes the checksum of the transport bytes copied to {@code at}: TCP and UDP for the new
     * pseudo-header addresses; an ICMPv6 echo for its new type and the pseudo-header ICMPv4 lacks.
     */
    private static void fixTransport(IpPacket in, Ipv6View ip, int declaredUpperBytes, int source, int destination,
                                     ByteBuffer out, int at, int present) {
        int oldSum = ChecksumFix.addressSum6(ip.sourceHigh(), ip.sourceLow(), ip.destinationHigh(),
                ip.destinationLow());
        if (in.tcp() != null) {
            if (present >= 18) {
                ChecksumFix.adjust(out, at + 16, oldSum, ChecksumFix.addressSum4(source, destination), false);
            }
        } else if (in.udp() != null) {
            if (present >= 8) {
                ChecksumFix.adjust(out, at + 6, oldSum, ChecksumFix.addressSum4(source, destination), true);
            }
        } else if (in.icmpv6() != null && present >= 4) {
            int oldWord = Bytes.u16(out, at);
            int newType = oldWord >>> 8 == Icmpv6View.ECHO_REQUEST ? 8 : 0;
            int newWord = newType << 8 | oldWord & 0xFF;
            Bytes.put8(out, at, newType);
            int pseudo = Checksum.pseudoHeaderSum6(ip.sourceHigh(), ip.sourceLow(), ip.destinationHigh(),
                    ip.destinationLow(), IpProtocol.ICMPV6, declaredUpperBytes);
            ChecksumFix.adjust(out, at + 2, Checksum.add(pseudo, oldWord), newWord, false);
        }
    }

    /** Whether a routing header with segments left precedes the upper layer (RFC 7915 section 5.1). */
    private static boolean hasActiveRoutingHeader(Ipv6View ip) {
        ByteBuffer b = ip.buffer();
        int next = ip.nextHeader();
        int at = ip.offset() + 40;
        int end = ip.upperLayerOffset();
        while (at < end) {
            int following = Bytes.u8(b, at);
            int length;
            switch (next) {
                case IpProtocol.FRAGMENT -> length = 8;
                case IpProtocol.AUTHENTICATION -> length = (Bytes.u8(b, at + 1) + 2) * 4;
                case IpProtocol.ROUTING -> {
                    if (Bytes.u8(b, at + 3) != 0) {
                        return true;
                    }
                    length = (Bytes.u8(b, at + 1) + 1) * 8;
                }
                default -> length = (Bytes.u8(b, at + 1) + 1) * 8;
            }
            next = following;
            at += length;
        }
        return false;
    }
}
