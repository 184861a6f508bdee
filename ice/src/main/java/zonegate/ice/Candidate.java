package zonegate.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import zonegate.ice.internal.CandidateSdp;

/**
 * An ICE candidate (RFC 8445 section 5.1) for component 1 over UDP, the only transport zonegate uses.
 *
 * <p>Local candidates are made with {@link #host}, {@link #serverReflexive} and {@link #relayed}, which
 * compute the RFC 8445 priority (section 5.1.2.1, local preference 65535) and foundation (section
 * 5.1.1.3: same type, base IP and transport give the same foundation). Remote candidates come from
 * the signalling channel through {@link #parse(String)}.
 *
 * <p>SDP form (RFC 8839 section 5.1):
 * <pre>
 * candidate:&lt;foundation&gt; 1 udp &lt;priority&gt; &lt;address&gt; &lt;port&gt; typ &lt;host|srflx|prflx|relay&gt; [raddr &lt;addr&gt; rport &lt;port&gt;]
 * </pre>
 * {@link #toSdp()} prints it without the {@code candidate:} prefix (as aioice's {@code to_sdp()} does
 * and its {@code Candidate.from_sdp} expects); {@link #toSdpAttribute()} with it.
 *
 * @param foundation 1-32 ice-chars
 * @param component always 1
 * @param priority 1 to 2^32 - 1
 * @param address the transport address: for a host candidate the socket's address, for a relayed
 *                candidate the relayed address
 * @param type the candidate type
 * @param relatedAddress raddr/rport: the base of a server-reflexive candidate, the mapped address of a
 *                       relayed one; {@code null} when absent (always for host candidates we make)
 */
public record Candidate(String foundation, int component, long priority, InetSocketAddress address,
        CandidateType type, InetSocketAddress relatedAddress) {
    /** The only component zonegate uses. */
    public static final int COMPONENT = 1;
    /** The highest local preference (RFC 8445 section 5.1.2.1), used for every candidate we make. */
    public static final int MAX_LOCAL_PREFERENCE = 65535;

    /**
     * @throws IllegalArgumentException for a foundation that is not 1-32 ice-chars, a priority outside
     *         1..2^32-1 or an unresolved address
     */
    public Candidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        if (!CandidateSdp.isFoundation(foundation)) {
            throw new IllegalArgumentException("foundation must be 1-32 ice-chars: " + foundation);
        }
        if (priority < 1 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("priority must be 1 to 2^32-1: " + priority);
        }
        if (address.isUnresolved() || (relatedAddress != null && relatedAddress.isUnresolved())) {
            throw new IllegalArgumentException("candidate addresses must be resolved");
        }
    }

    /** A host candidate on the local socket {@code address}. */
    public static Candidate host(InetSocketAddress address) {
        return local(CandidateType.HOST, address, null, address.getAddress(), null);
    }

    /**
     * A server-reflexive candidate: {@code mapped} as a STUN/TURN server saw the host socket {@code base}.
     * Checks are sent from {@code base}, so the agent pairs its base rather than this candidate (RFC 8445
     * section 6.1.2.4); it is gathered to be signalled.
     */
    public static Candidate serverReflexive(InetSocketAddress mapped, InetSocketAddress base) {
        return local(CandidateType.SERVER_REFLEXIVE, mapped, base, base.getAddress(), null);
    }

    /**
     * A relayed candidate at {@code relayed} on a TURN relay; its base is itself. The caller routes every
     * transmit whose source is {@code relayed} through its TURN allocation, and hands the agent what the
     * relay delivers with {@code relayed} as the local address.
     *
     * @param related the mapped (server-reflexive) address the relay reported, printed as raddr/rport;
     *                may be {@code null}
     */
    public static Candidate relayed(InetSocketAddress relayed, InetSocketAddress related) {
        return local(CandidateType.RELAYED, relayed, related, relayed.getAddress(), null);
    }

    /**
     * The RFC 8445 section 5.1.2.1 priority: {@code 2^24 * typePreference + 2^8 * localPreference + (256 -
     * component)}.
     */
    public static long priority(CandidateType type, int localPreference, int component) {
        return ((long) type.typePreference() << 24) + ((long) (localPreference & 0xFFFF) << 8) + (256 - component);
    }

    /**
     * The foundation of RFC 8445 section 5.1.1.3: the same for candidates of one type, base IP, server
     * and transport (UDP). Deterministic: 8 lower-case hex digits of a CRC-32 of those values.
     *
     * @param server the STUN/TURN server's IP, or {@code null} for host candidates
     */
    public static String foundation(CandidateType type, InetAddress baseIp, InetAddress server) {
        return CandidateSdp.foundation(type, baseIp, server);
    }

    /**
     * Parses one candidate line: {@code a=candidate:...}, {@code candidate:...} or the bare value
     * ({@code 1 1 UDP 2130706431 127.0.0.1 54321 typ host}, as aioice prints it). The transport is
     * matched case-insensitively; extensions ({@code generation 0}, {@code ufrag x}, {@code network-id 1})
     * are skipped. Addresses must be IP literals. Never throws.
     */
    public static CandidateParseResult parse(String line) {
        return CandidateSdp.parse(line);
    }

    /** This candidate with another priority (the agent makes local priorities unique). */
    public Candidate withPriority(long newPriority) {
        return new Candidate(foundation, component, newPriority, address, type, relatedAddress);
    }

    /** The SDP value without the {@code candidate:} prefix: {@code <foundation> 1 udp <priority> ...}. */
    public String toSdp() {
        return CandidateSdp.print(this);
    }

    /** The SDP attribute value with its prefix: {@code candidate:<foundation> 1 udp ...}. */
    public String toSdpAttribute() {
        return "candidate:" + toSdp();
    }

    @Override
    public String toString() {
        return toSdp();
    }

    private static Candidate local(CandidateType type, InetSocketAddress address, InetSocketAddress related,
            InetAddress baseIp, InetAddress server) {
        return new Candidate(foundation(type, baseIp, server), COMPONENT,
                priority(type, MAX_LOCAL_PREFERENCE, COMPONENT), address, type, related);
    }
}
