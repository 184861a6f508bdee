package zonegate.packet;

import java.nio.ByteBuffer;
import zonegate.packet.internal.Bytes;

/**
 * A parsed IP packet: the IPv4 or IPv6 header view, the transport view (TCP, UDP, ICMPv4 or ICMPv6),
 * the fragment position and, for an ICMP error, the quoted invoking packet as a nested
 * {@code IpPacket}. Produced and re-pointed by {@link PacketParser}: the object (and every view in it)
 * is reused for the next packet, so copy out what must outlive the next {@code parse} call.
 *
 * <p>Rewriting (what a NAT does) is in place through the views or the shortcuts here, and every write
 * leaves every checksum it affects valid: IPv4 header, TCP/UDP/ICMPv6 pseudo-header checksums, and,
 * inside a quoted packet, the outer ICMP checksum too.
 *
 * <pre>{@code
 * if (parser.parse(buffer, 0, n) instanceof ParseResult.Parsed(IpPacket p) && p.version() == 4) {
 *     p.ipv4().setDestination(0x0A000002);   // IPv4 header + TCP/UDP checksums updated
 *     p.setDestinationPort(8080);            // TCP/UDP checksum updated
 * }
 * }</pre>
 *
 * <p>Transport checksums are not verified by the parser; {@link #hasValidChecksums()} does it on demand.
 */
public final class IpPacket {
    final Ipv4View ipv4 = new Ipv4View();
    final Ipv6View ipv6 = new Ipv6View();
    private final TcpView tcp = new TcpView();
    private final UdpView udp = new UdpView();
    private final Icmpv4View icmpv4 = new Icmpv4View();
    private final Icmpv6View icmpv6 = new Icmpv6View();
    /** The packet an ICMP error quotes; null in a quoted packet (quotes are not followed twice). */
    private final IpPacket quotedSlot;

    private ByteBuffer buffer;
    private int offset;
    private int length;
    private int version;
    private int protocol;
    private FragmentPosition fragment = FragmentPosition.NONE;
    private int enclosingChecksumAt = -1;
    private BufferView transport;
    private int transportOffset;
    private int transportLength;
    private boolean hasQuoted;
    private Rejection quotedRejection;

    IpPacket(boolean outer) {
        this.quotedSlot = outer ? new IpPacket(false) : null;
    }

    /** 4 or 6. */
    public int version() {
        return version;
    }

    /** The upper-layer protocol ({@link IpProtocol#TCP}, {@link IpProtocol#UDP}, ...), after IPv6 extension headers. */
    public int protocol() {
        return protocol;
    }

    public FragmentPosition fragment() {
        return fragment;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the first IP header byte. */
    public int offset() {
        return offset;
    }

    /** Bytes of the packet (the IP length field, or the bytes present in a short quote). */
    public int lengthBytes() {
        return length;
    }

    /** Whether this is the invoking packet quoted inside an ICMP error (possibly cut short). */
    public boolean isQuoted() {
        return enclosingChecksumAt >= 0;
    }

    /** The IPv4 header, or null for IPv6. */
    public Ipv4View ipv4() {
        return version == 4 ? ipv4 : null;
    }

    /** The IPv6 header, or null for IPv4. */
    public Ipv6View ipv6() {
        return version == 6 ? ipv6 : null;
    }

    /** The TCP header, or null (other protocol, or a non-first fragment). */
    public TcpView tcp() {
        return transport == tcp ? tcp : null;
    }

    public UdpView udp() {
        return transport == udp ? udp : null;
    }

    public Icmpv4View icmpv4() {
        return transport == icmpv4 ? icmpv4 : null;
    }

    public Icmpv6View icmpv6() {
        return transport == icmpv6 ? icmpv6 : null;
    }

    /** Absolute index of the transport header (or of the data of a non-first fragment). */
    public int transportOffset() {
        return transportOffset;
    }

    /** Bytes from {@link #transportOffset()} to the end of the packet (or of the UDP length). */
    public int transportLengthBytes() {
        return transportLength;
    }

    /**
     * The packet quoted by this ICMP error, parsed leniently (it may be cut short: fields beyond the
     * quote read as -1), or null when this is not an ICMP error or the quote did not parse (see
     * {@link #quotedRejection()}). Writes to it fix this packet's ICMP checksum as they go.
     */
    public IpPacket quoted() {
        return hasQuoted ? quotedSlot : null;
    }

    /** Why the quote of this ICMP error did not parse, or null. */
    public Rejection quotedRejection() {
        return quotedRejection;
    }

    /** TCP/UDP source port, or -1 for other protocols and non-first fragments. */
    public int sourcePort() {
        return transport == tcp ? tcp.sourcePort() : transport == udp ? udp.sourcePort() : -1;
    }

    public int destinationPort() {
        return transport == tcp ? tcp.destinationPort() : transport == udp ? udp.destinationPort() : -1;
    }

    /** Sets the TCP/UDP source port with checksum fix-up; returns false (and writes nothing) for other protocols. */
    public boolean setSourcePort(int port) {
        if (transport == tcp) {
            tcp.setSourcePort(port);
        } else if (transport == udp) {
            udp.setSourcePort(port);
        } else {
            return false;
        }
        return true;
    }

    public boolean setDestinationPort(int port) {
        if (transport == tcp) {
            tcp.setDestinationPort(port);
        } else if (transport == udp) {
            udp.setDestinationPort(port);
        } else {
            return false;
        }
        return true;
    }

    /** IPv4 TTL or IPv6 hop limit. */
    public int hopLimit() {
        return version == 4 ? ipv4.ttl() : ipv6.hopLimit();
    }

    public void setHopLimit(int hopLimit) {
        if (version == 4) {
            ipv4.setTtl(hopLimit);
        } else {
            ipv6.setHopLimit(hopLimit);
        }
    }

    /** Whether the whole transport segment is here (not a fragment, not a short quote), so its checksum can be computed. */
    public boolean isTransportComplete() {
        return transport != null && fragment == FragmentPosition.NONE && !isQuoted();
    }

    /**
     * The transport checksum computed in full (pseudo-header included; a UDP result of 0 is 0xFFFF), or
     * -1 when the segment is incomplete ({@link #isTransportComplete()} is false).
     */
    public int computeTransportChecksum() {
        if (!isTransportComplete()) {
            return -1;
        }
        int at = transportOffset;
        if (transport == icmpv4) {
            return icmpv4.computeChecksum();
        }
        int pseudo = pseudoHeaderSum();
        if (transport == icmpv6) {
            return icmpv6.computeChecksum(pseudo);
        }
        if (transport == tcp) {
            return Checksum.computeSkipping(buffer, at, transportLength, at + TcpView.CHECKSUM, pseudo);
        }
        int checksum = Checksum.computeSkipping(buffer, at, transportLength, at + UdpView.CHECKSUM, pseudo);
        return checksum == 0 ? 0xFFFF : checksum;
    }

    /** Sum of the pseudo-header this packet's transport checksum covers (0 for ICMPv4, which has none). */
    public int pseudoHeaderSum() {
        if (transport == icmpv4) {
            return 0;
        }
        if (version == 4) {
            return Checksum.pseudoHeaderSum4(ipv4.source(), ipv4.destination(), protocol, transportLength);
        }
        return Checksum.pseudoHeaderSum6(ipv6.sourceHigh(), ipv6.sourceLow(), ipv6.destinationHigh(),
                ipv6.destinationLow(), protocol, transportLength);
    }

    /**
     * Recomputes in full and writes the IPv4 header checksum and the transport checksum (when the segment
     * is complete; a UDP-over-IPv4 checksum of 0 stays 0). For a packet built or edited by hand.
     */
    public void updateChecksums() {
        if (version == 4) {
            ipv4.updateHeaderChecksum();
        }
        int checksum = computeTransportChecksum();
        if (checksum < 0) {
            return;
        }
        int field = transportOffset + (transport == tcp ? TcpView.CHECKSUM : transport == udp ? UdpView.CHECKSUM : 2);
        if (transport == udp && version == 4 && Bytes.u16(buffer, field) == 0) {
            return;
        }
        Bytes.put16(buffer, field, checksum);
    }

    /**
     * Whether the IPv4 header checksum and (when complete) the transport checksum verify. A UDP checksum
     * of 0 over IPv4 means "none" and verifies.
     */
    public boolean hasValidChecksums() {
        if (version == 4 && !ipv4.isHeaderChecksumValid()) {
            return false;
        }
        int expected = computeTransportChecksum();
        if (expected < 0) {
            return true;
        }
        int actual = transport == tcp ? tcp.checksum() : transport == udp ? udp.checksum()
                : transport == icmpv4 ? icmpv4.checksum() : icmpv6.checksum();
        if (transport == udp && version == 4 && actual == 0) {
            return true;
        }
        return actual == expected;
    }

    Rejection bind(ByteBuffer b, int off, int len, int enclosing, FragmentPolicy policy) {
        transport = null;
        hasQuoted = false;
        quotedRejection = null;
        if (len < 1) {
            return Rejection.TRUNCATED;
        }
        // The first 8 header bytes in one read when present; the parsers check the length before using more than the version.
        long first8 = len >= 8 ? Bytes.i64(b, off) : (long) Bytes.u8(b, off) << 56;
        return switch ((int) (first8 >>> 60)) {
            case 4 -> IpHeaderParsing.parse4(this, b, off, len, first8, enclosing, policy);
            case 6 -> IpHeaderParsing.parse6(this, b, off, len, first8, enclosing, policy);
            default -> Rejection.BAD_VERSION;
        };
    }

    void startBinding(ByteBuffer b, int off, int len, int ipVersion, int upperProtocol, FragmentPosition position,
                      int enclosing) {
        buffer = b;
        offset = off;
        length = len;
        version = ipVersion;
        protocol = upperProtocol;
        fragment = position;
        enclosingChecksumAt = enclosing;
    }

    Rejection bindTransport(int at, int available) {
        transportOffset = at;
        transportLength = available;
        int upper = protocol;
        boolean icmpHere = version == 4 ? upper == IpProtocol.ICMP : upper == IpProtocol.ICMPV6;
        if (upper != IpProtocol.TCP && upper != IpProtocol.UDP && !icmpHere) {
            return Rejection.UNSUPPORTED_PROTOCOL;
        }
        if (fragment == FragmentPosition.NON_FIRST) {
            return null;
        }
        if (available < 8) {
            return Rejection.TRUNCATED;
        }
        return switch (upper) {
            case IpProtocol.TCP -> bindTcp(at, available);
            case IpProtocol.UDP -> bindUdp(at, available);
            case IpProtocol.ICMP -> bindIcmpv4(at, available);
            default -> bindIcmpv6(at, available);
        };
    }

    private Rejection bindTcp(int at, int available) {
        ByteBuffer b = buffer;
        int enclosing = enclosingChecksumAt;
        boolean quoted = enclosing >= 0;
        if (available >= 13) {
            int headerBytes = (Bytes.u8(b, at + 12) >>> 4) * 4;
            if (headerBytes < TcpView.MIN_HEADER_BYTES) {
                return Rejection.BAD_TRANSPORT_HEADER;
            }
            if (!quoted && headerBytes > available) {
                return Rejection.TRUNCATED;
            }
        } else if (!quoted) {
            return Rejection.TRUNCATED;
        }
        tcp.point(b, at, available, enclosing);
        setL4Checksum(available >= TcpView.CHECKSUM + 2 ? at + TcpView.CHECKSUM : -1, false);
        transport = tcp;
        return null;
    }

    private Rejection bindUdp(int at, int available) {
        ByteBuffer b = buffer;
        int enclosing = enclosingChecksumAt;
        int udpBytes = Bytes.u16(b, at + 4);
        if (udpBytes < UdpView.HEADER_BYTES) {
            return Rejection.BAD_TRANSPORT_HEADER;
        }
        int udpLength = available;
        if (enclosing < 0 && fragment == FragmentPosition.NONE) {
            if (udpBytes > available) {
                return Rejection.BAD_TRANSPORT_HEADER;
            }
            udpLength = udpBytes;
            transportLength = udpBytes;
        }
        udp.point(b, at, udpLength, enclosing);
        setL4Checksum(at + UdpView.CHECKSUM, true);
        transport = udp;
        return null;
    }

    private Rejection bindIcmpv4(int at, int available) {
        icmpv4.point(buffer, at, available, enclosingChecksumAt);
        transport = icmpv4;
        if (icmpv4.isError()) {
            bindQuote(at);
        }
        return null;
    }

    private Rejection bindIcmpv6(int at, int available) {
        icmpv6.point(buffer, at, available, enclosingChecksumAt);
        setL4Checksum(at + Icmpv6View.CHECKSUM, false);
        transport = icmpv6;
        if (icmpv6.isError()) {
            bindQuote(at);
        }
        return null;
    }

    private void setL4Checksum(int absoluteIndex, boolean zeroMeansAbsent) {
        int relative = absoluteIndex < 0 ? -1 : absoluteIndex - offset;
        if (version == 4) {
            ipv4.l4ChecksumAt = relative;
            ipv4.l4ZeroMeansAbsent = zeroMeansAbsent;
        } else {
            ipv6.l4ChecksumAt = relative;
            ipv6.l4ZeroMeansAbsent = zeroMeansAbsent;
        }
    }

    private void bindQuote(int icmpAt) {
        if (quotedSlot == null || fragment != FragmentPosition.NONE) {
            return;
        }
        int quoteAt = icmpAt + 8;
        int quoteBytes = transportLength - 8;
        Rejection rejection = quoteBytes >= 1 && (Bytes.u8(buffer, quoteAt) >>> 4) != version
                ? Rejection.BAD_VERSION
                : quotedSlot.bind(buffer, quoteAt, quoteBytes, icmpAt + 2, FragmentPolicy.ACCEPT);
        hasQuoted = rejection == null;
        quotedRejection = rejection;
    }
}
