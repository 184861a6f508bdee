package zonegate.nat64;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.random.RandomGenerator;
import zonegate.nat64.internal.AddressPlan;
import zonegate.nat64.internal.Translate4To6;
import zonegate.nat64.internal.Translate6To4;
import zonegate.packet.IpPacket;
import zonegate.packet.Ipv4View;
import zonegate.packet.Ipv6View;

/**
 * Stateless IP/ICMP translation (RFC 7915, "SIIT") with both sides' IPv6 addresses mapped through one
 * RFC 6052 prefix: an IPv4 address {@code a} is the IPv6 address {@code prefix + a}, so an IPv6 packet is
 * translatable only when its source and destination both embed an IPv4 address.
 *
 * <p>What is translated: the IP header (traffic class, hop limit, protocol, lengths; flow label written as
 * 0; IPv6 extension headers other than the fragment header and IPv4 options are not carried over),
 * fragments (an IPv4 fragment gets an IPv6 Fragment Header and back), TCP and UDP checksums (RFC 1624
 * incremental fix-up of the pseudo-header; a zero UDP-over-IPv4 checksum computed in full, or a drop for a
 * fragment), ICMP echo request and reply, and ICMP errors with the quoted packet translated too (types,
 * codes and parameter-problem pointers per RFC 7915 sections 4.2 and 5.2; packet-too-big MTU - 20 towards
 * IPv4 and + 20 towards IPv6, with the RFC 1191 plateaus when an IPv4 router reported MTU 0).
 * Everything else is dropped with a {@link DropReason}.
 *
 * <p><b>Hop limit.</b> The translator does not decrement the hop limit unless built with
 * {@code decrementHopLimit}: in the gateway the translated packet is handed to the host's IP stack, which
 * forwards it and decrements the TTL itself; decrementing here too would count the gateway twice. A
 * stand-alone translator acting as a router turns it on (and answers {@link DropReason#HOP_LIMIT_EXCEEDED}
 * with an ICMP time-exceeded itself).
 *
 * <p><b>Results.</b> Both methods write the translated packet at {@code outOffset} of {@code out} (a region
 * that must not overlap the input) and return its length, or a negative {@link DropReason#code()}. The
 * IPv4-to-IPv6 direction grows the packet by 20 bytes (28 for a fragment); ICMP errors are cut to 576
 * bytes towards IPv4 and 1280 towards IPv6. Nothing is allocated per packet.
 *
 * <pre>{@code
 * Nat64Translator translator = new Nat64Translator(Nat64Prefix.WELL_KNOWN, false, new SplittableRandom(seed));
 * IpPacket packet = parser.parseOrNull(in, 0, n);
 * int result = translator.translate6to4(packet, out, 0, out.capacity());
 * }</pre>
 *
 * <p>Not thread-safe: one translator per thread (it owns a scratch plan and the identification source).
 */
public final class Nat64Translator {
    private final Nat64Prefix prefix;
    private final Translate6To4 to4;
    private final Translate4To6 to6;
    private final AddressPlan plan = new AddressPlan();
    private final long[] drops = new long[DropReason.values().length];

    /**
     * @param prefix            the RFC 6052 prefix both sides' IPv6 addresses use
     * @param decrementHopLimit whether to decrement the hop limit like a router (see the class comment)
     * @param identifications   source of IPv4 identification values for IPv6 packets without a fragment
     *                          header (seeded, so runs reproduce)
     */
    public Nat64Translator(Nat64Prefix prefix, boolean decrementHopLimit, RandomGenerator identifications) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.to4 = new Translate6To4(Objects.requireNonNull(identifications, "identifications"), decrementHopLimit);
        this.to6 = new Translate4To6(decrementHopLimit);
    }

    public Nat64Prefix prefix() {
        return prefix;
    }

    /**
     * Translates an IPv6 packet to IPv4.
     *
     * @return the IPv4 packet's length in bytes, or a negative {@link DropReason#code()}
     */
    public int translate6to4(IpPacket packet, ByteBuffer out, int outOffset, int capacityBytes) {
        Ipv6View ip = packet.ipv6();
        int result;
        long sourceHigh;
        long sourceLow;
        long destinationHigh;
        long destinationLow;
        if (ip == null) {
            result = DropReason.WRONG_VERSION.code();
        } else if (!prefix.contains(sourceHigh = ip.sourceHigh(), sourceLow = ip.sourceLow())
                || !prefix.contains(destinationHigh = ip.destinationHigh(), destinationLow = ip.destinationLow())) {
            result = DropReason.ADDRESS_NOT_TRANSLATABLE.code();
        } else {
            plan.source4 = prefix.extract(sourceHigh, sourceLow);
            plan.destination4 = prefix.extract(destinationHigh, destinationLow);
            IpPacket quoted = packet.quoted();
            Ipv6View inner = quoted == null ? null : quoted.ipv6();
            if (inner != null && (!prefix.contains(inner.sourceHigh(), inner.sourceLow())
                    || !prefix.contains(inner.destinationHigh(), inner.destinationLow()))) {
                result = DropReason.ADDRESS_NOT_TRANSLATABLE.code();
            } else {
                if (inner != null) {
                    plan.innerSource4 = prefix.extract(inner.sourceHigh(), inner.sourceLow());
                    plan.innerDestination4 = prefix.extract(inner.destinationHigh(), inner.destinationLow());
                }
                result = to4.translate(packet, plan, out, outOffset, capacityBytes);
            }
        }
        return count(result);
    }

    /**
     * Translates an IPv4 packet to IPv6.
     *
     * @return the IPv6 packet's length in bytes, or a negative {@link DropReason#code()}
     */
    public int translate4to6(IpPacket packet, ByteBuffer out, int outOffset, int capacityBytes) {
        Ipv4View ip = packet.ipv4();
        if (ip == null) {
            return count(DropReason.WRONG_VERSION.code());
        }
        int source = ip.source();
        int destination = ip.destination();
        plan.sourceHigh = prefix.embedHigh(source);
        plan.sourceLow = prefix.embedLow(source);
        plan.destinationHigh = prefix.embedHigh(destination);
        plan.destinationLow = prefix.embedLow(destination);
        IpPacket quoted = packet.quoted();
        Ipv4View inner = quoted == null ? null : quoted.ipv4();
        if (inner != null) {
            plan.innerSourceHigh = prefix.embedHigh(inner.source());
            plan.innerSourceLow = prefix.embedLow(inner.source());
            plan.innerDestinationHigh = prefix.embedHigh(inner.destination());
            plan.innerDestinationLow = prefix.embedLow(inner.destination());
        }
        return count(to6.translate(packet, plan, out, outOffset, capacityBytes));
    }

    /** Packets dropped for {@code reason} since construction. */
    public long dropCount(DropReason reason) {
        return drops[reason.ordinal()];
    }

    private int count(int result) {
        if (result < 0) {
            drops[~result]++;
        }
        return result;
    }
}
