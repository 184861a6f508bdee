package zonegate.nat64.internal;

import java.nio.ByteBuffer;
import zonegate.nat64.DropReason;
import zonegate.packet.Checksum;
import zonegate.packet.FragmentPosition;
import zonegate.packet.Icmpv4View;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;
import zonegate.packet.Ipv4View;
import zonegate.packet.UdpView;
import zonegate.packet.internal.Bytes;

/**
 * IPv4 to IPv6 (RFC 7915 section 4), writing into a caller's buffer: the header grows by 20 bytes, and
 * by 8 more when the IPv4 packet is a fragment (a Fragment Header carries its identification, offset
 * and MF flag). Transport checksums are fixed incrementally (RFC 1624); a zero UDP checksum is
 * computed in full for an unfragmented datagram (RFC 7915 section 4.5), and the ICMPv6 checksum of a
 * translated error is computed in full. IPv4 options are not translated; an unexpired source route
 * option is a drop. An unfragmented packet with DF clear that ends up larger than 1280 bytes is
 * translated whole, not fragmented (RFC 7915 section 4.1 says SHOULD fragment; this translator emits one
 * packet per input, and the gateway's tunnel MTU is 1280 anyway).
 */
public final class Translate4To6 {
    /** RFC 4443 section 2.4 (c): an ICMPv6 error fits the minimum MTU. */
    private static final int MAX_ERROR_BYTES = 1280;

    private final boolean decrementHopLimit;

    public Translate4To6(boolean decrementHopLimit) {
        this.decrementHopLimit = decrementHopLimit;
    }

    /** Translates {@code in}, with the IPv6 addresses of {@code plan}; returns the length or a drop code. */
    public int translate(IpPacket in, AddressPlan plan, ByteBuffer out, int off, int capacityBytes) {
        Ipv4View ip = in.ipv4();
        if (ip == null) {
            return DropReason.WRONG_VERSION.code();
        }
        int hop = ip.ttl();
        if (decrementHopLimit) {
            if (hop <= 1) {
                return DropReason.HOP_LIMIT_EXCEEDED.code();
            }
            hop--;
        }
        if (hasUnexpiredSourceRoute(ip)) {
            return DropReason.SOURCE_ROUTE_OPTION.code();
        }
        int protocol = in.protocol();
        boolean fragmented = in.fragment() != FragmentPosition.NONE;
        if (protocol == IpProtocol.ICMP) {
            if (fragmented) {
                return DropReason.ICMP_FRAGMENT.code();
            }
            Icmpv4View icmp = in.icmpv4();
            if (icmp.isError()) {
                return translateError(in, ip, icmp, hop, plan, out, off, capacityBytes);
            }
            if (!icmp.isEchoRequest() && !icmp.isEchoReply()) {
                return DropReason.UNSUPPORTED_ICMP_TYPE.code();
            }
        }
        UdpView udp = in.udp();
        boolean computeUdp = udp != null && udp.checksum() == 0;
        if (computeUdp && fragmented) {
            return DropReason.UDP_ZERO_CHECKSUM_FRAGMENT.code();
        }
        int upperAt = ip.payloadOffset();
        int upperBytes = in.offset() + in.lengthBytes() - upperAt;
        int headerBytes = fragmented ? 48 : 40;
        int total = headerBytes + upperBytes;
        if (capacityBytes < total) {
            return DropReason.OUTPUT_TOO_SMALL.code();
        }
        writeHeader(out, off, ip, fragmented, headerBytes - 40 + upperBytes, hop, protocol, plan.sourceHigh,
                plan.sourceLow, plan.destinationHigh, plan.destinationLow);
        int at = off + headerBytes;
        out.put(at, in.buffer(), upperAt, upperBytes);
        fixTransport(in, ip, upperBytes, plan.sourceHigh, plan.sourceLow, plan.destinationHigh, plan.destinationLow,
                out, at, upperBytes);
        if (computeUdp) {
            int udpBytes = udp.datagramLengthBytes();
            int pseudo = Checksum.pseudoHeaderSum6(plan.sourceHigh, plan.sourceLow, plan.destinationHigh,
                    plan.destinationLow, IpProtocol.UDP, udpBytes);
            int checksum = Checksum.computeSkipping(out, at, udpBytes, at + 6, pseudo);
            Bytes.put16(out, at + 6, checksum == 0 ? 0xFFFF : checksum);
        }
        return total;
    }

    private int translateError(IpPacket in, Ipv4View ip, Icmpv4View icmp, int hop, AddressPlan plan, ByteBuffer out,
                               int off, int capacityBytes) {
        int type = icmp.type();
        int code = icmp.code();
        int mapped = IcmpMapping.v4ErrorToV6(type, code);
        IpPacket quoted = in.quoted();
        if (mapped < 0) {
            return DropReason.UNSUPPORTED_ICMP_TYPE.code();
        }
        if (quoted == null) {
            return DropReason.QUOTED_PACKET_INVALID.code();
        }
        int restOfHeader = 0;
        if (type == 3 && code == 4) {
            int mtu = icmp.nextHopMtuBytes();
            if (mtu == 0) {
                // RFC 7915 section 4.2: a router without RFC 1191 support; estimate from the plateaus.
                mtu = IcmpMapping.plateauBelow(quoted.ipv4().totalLengthBytes());
            }
            restOfHeader = mtu + 20;
        } else if (type == 3 && code == 2) {
            restOfHeader = 6;
        } else if (type == 12) {
            int pointer = IcmpMapping.pointer4to6(Bytes.u8(in.buffer(), icmp.offset() + 4));
            if (pointer < 0) {
                return DropReason.UNSUPPORTED_ICMP_TYPE.code();
            }
            restOfHeader = pointer;
        }
        int limit = Math.min(capacityBytes, MAX_ERROR_BYTES);
        if (limit < 48 + 40) {
            return DropReason.OUTPUT_TOO_SMALL.code();
        }
        int innerBytes = translateQuoted(quoted, plan, out, off + 48, limit - 48);
        if (innerBytes < 0) {
            return innerBytes;
        }
        writeHeader(out, off, ip, false, 8 + innerBytes, hop, IpProtocol.ICMP, plan.sourceHigh, plan.sourceLow,
                plan.destinationHigh, plan.destinationLow);
        int at = off + 40;
        Bytes.put32(out, at, mapped << 16);
        Bytes.put32(out, at + 4, restOfHeader);
        int pseudo = Checksum.pseudoHeaderSum6(plan.sourceHigh, plan.sourceLow, plan.destinationHigh,
                plan.destinationLow, IpProtocol.ICMPV6, 8 + innerBytes);
        Bytes.put16(out, at + 2, Checksum.computeSkipping(out, at, 8 + innerBytes, at + 2, pseudo));
        return 48 + innerBytes;
    }

    /** The invoking packet of an ICMPv4 error, possibly cut short, cut again to {@code limit} bytes. */
    private static int translateQuoted(IpPacket quoted, AddressPlan plan, ByteBuffer out, int at, int limit) {
        Ipv4View ip = quoted.ipv4();
        int protocol = quoted.protocol();
        boolean fragmented = quoted.fragment() != FragmentPosition.NONE;
        if (protocol == IpProtocol.ICMP) {
            Icmpv4View icmp = quoted.icmpv4();
            if (fragmented || icmp == null || !icmp.isEchoRequest() && !icmp.isEchoReply()) {
                return DropReason.QUOTED_PACKET_INVALID.code();
            }
        }
        int upperAt = ip.payloadOffset();
        int present = quoted.offset() + quoted.lengthBytes() - upperAt;
        int declared = ip.totalLengthBytes() - ip.headerLengthBytes();
        int headerBytes = fragmented ? 48 : 40;
        int copy = Math.min(present, limit - headerBytes);
        writeHeader(out, at, ip, fragmented, headerBytes - 40 + declared, ip.ttl(), protocol, plan.innerSourceHigh,
                plan.innerSourceLow, plan.innerDestinationHigh, plan.innerDestinationLow);
        out.put(at + headerBytes, quoted.buffer(), upperAt, copy);
        fixTransport(quoted, ip, declared, plan.innerSourceHigh, plan.innerSourceLow, plan.innerDestinationHigh,
                plan.innerDestinationLow, out, at + headerBytes, copy);
        return headerBytes + copy;
    }

    private static void writeHeader(ByteBuffer out, int off, Ipv4View ip, boolean fragmented, int payloadBytes,
                                    int hopLimit, int protocol, long sourceHigh, long sourceLow, long destinationHigh,
                                    long destinationLow) {
        int protocol6 = protocol == IpProtocol.ICMP ? IpProtocol.ICMPV6 : protocol;
        Bytes.put32(out, off, 0x6000_0000 | ip.trafficClass() << 20);
        Bytes.put32(out, off + 4, payloadBytes << 16 | (fragmented ? IpProtocol.FRAGMENT : protocol6) << 8
                | hopLimit & 0xFF);
        Bytes.put64(out, off + 8, sourceHigh);
        Bytes.put64(out, off + 16, sourceLow);
        Bytes.put64(out, off + 24, destinationHigh);
        Bytes.put64(out, off + 32, destinationLow);
        if (fragmented) {
            // RFC 7915 section 4.1: offset and MF copied, the 16-bit identification zero-extended.
            Bytes.put32(out, off + 40, protocol6 << 24 | ip.fragmentOffsetBytes() | (ip.moreFragments() ? 1 : 0));
            Bytes.put32(out, off + 44, ip.identification());
        }
    }

    private static void fixTransport(IpPacket in, Ipv4View ip, int declaredUpperBytes, long sourceHigh, long sourceLow,
                                     long destinationHigh, long destinationLow, ByteBuffer out, int at, int present) {
        int oldSum = ChecksumFix.addressSum4(ip.source(), ip.destination());
        if (in.tcp() != null) {
            if (present >= 18) {
                ChecksumFix.adjust(out, at + 16, oldSum,
                        ChecksumFix.addressSum6(sourceHigh, sourceLow, destinationHigh, destinationLow), false);
            }
        } else if (in.udp() != null) {
            if (present >= 8) {
                ChecksumFix.adjust(out, at + 6, oldSum,
                        ChecksumFix.addressSum6(sourceHigh, sourceLow, destinationHigh, destinationLow), true);
            }
        } else if (in.icmpv4() != null && present >= 4) {
            int oldWord = Bytes.u16(out, at);
            int newType = oldWord >>> 8 == Icmpv4View.ECHO_REQUEST ? 128 : 129;
            int newWord = newType << 8 | oldWord & 0xFF;
            Bytes.put8(out, at, newType);
            int pseudo = Checksum.pseudoHeaderSum6(sourceHigh, sourceLow, destinationHigh, destinationLow,
                    IpProtocol.ICMPV6, declaredUpperBytes);
            ChecksumFix.adjust(out, at + 2, oldWord, Checksum.add(newWord, pseudo), false);
        }
    }

    /** Whether a loose or strict source route option still has hops to visit (RFC 7915 section 4.1). */
    private static boolean hasUnexpiredSourceRoute(Ipv4View ip) {
        ByteBuffer b = ip.buffer();
        int at = ip.optionsOffset();
        int end = at + ip.optionsLengthBytes();
        while (at < end) {
            int type = Bytes.u8(b, at);
            if (type == 0) {
                return false;
            }
            if (type == 1) {
                at++;
                continue;
            }
            if (at + 2 >= end) {
                return false;
            }
            int length = Bytes.u8(b, at + 1);
            if (length < 2) {
                return false;
            }
            if ((type == 0x83 || type == 0x89) && Bytes.u8(b, at + 2) <= length) {
                return true;
            }
            at += length;
        }
        return false;
    }
}
