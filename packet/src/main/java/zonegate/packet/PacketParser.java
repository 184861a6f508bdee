package zonegate.packet;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The entry point: parses and classifies one IP packet (IPv4 or IPv6, by its version nibble) in a
 * buffer region, without copying and without allocating.
 *
 * <p>Checks, in order: version; IPv4 header length, total length and header checksum; IPv6 payload
 * length and extension-header chain (hop-by-hop first only, routing, destination options, fragment,
 * AH); the fragment policy; the upper-layer protocol (TCP, UDP, ICMP on IPv4, ICMPv6 on IPv6); the
 * transport header (TCP data offset, UDP length). Bytes after the IP length (link padding) are ignored.
 * Fragments are reported through {@link IpPacket#fragment()}: a non-first fragment has no transport
 * view. For an ICMP error the quoted packet is parsed too, leniently, as {@link IpPacket#quoted()}.
 *
 * <pre>{@code
 * PacketParser parser = new PacketParser();          // one per thread, reused for every packet
 * ParseResult result = parser.parse(buffer, 0, bytesRead);
 * }</pre>
 *
 * <p>Not thread-safe: the returned packet is this parser's, and is re-pointed by the next call.
 */
public final class PacketParser {
    private final FragmentPolicy fragmentPolicy;
    private final IpPacket packet = new IpPacket(true);
    private final ParseResult.Parsed parsed = new ParseResult.Parsed(packet);

    /** A parser that accepts fragments ({@link FragmentPolicy#ACCEPT}). */
    public PacketParser() {
        this(FragmentPolicy.ACCEPT);
    }

    public PacketParser(FragmentPolicy fragmentPolicy) {
        this.fragmentPolicy = Objects.requireNonNull(fragmentPolicy, "fragmentPolicy");
    }

    /**
     * Parses the packet of {@code lengthBytes} bytes at absolute index {@code offset} of {@code buffer}
     * (the buffer's position and limit are not used or changed, only checked).
     *
     * @return {@link ParseResult.Parsed} holding this parser's reusable packet, or a {@link ParseResult.Rejected}
     * @throws IndexOutOfBoundsException if the region lies outside {@code [0, buffer.limit())}: a
     *     programming error, unlike bad bytes, which are rejections
     */
    public ParseResult parse(ByteBuffer buffer, int offset, int lengthBytes) {
        Objects.checkFromIndexSize(offset, lengthBytes, buffer.limit());
        Rejection rejection = packet.bind(buffer, offset, lengthBytes, -1, fragmentPolicy);
        return rejection == null ? parsed : ParseResult.Rejected.of(rejection);
    }

    /** Like {@link #parse}, returning the packet or null, for callers that count rejections elsewhere. */
    public IpPacket parseOrNull(ByteBuffer buffer, int offset, int lengthBytes) {
        Objects.checkFromIndexSize(offset, lengthBytes, buffer.limit());
        return packet.bind(buffer, offset, lengthBytes, -1, fragmentPolicy) == null ? packet : null;
    }
}
