package zonegate.nat64;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.packet.IpPacket;

/**
 * Seeded property tests: thousands of random packets translated there and back come back byte for byte,
 * and every checksum of every intermediate packet equals a full recomputation.
 *
 * <p>Generators are normalised where RFC 7915 is lossy: IPv6 packets have flow label 0, no extension
 * headers but the fragment header, 16-bit fragment identifications and no atomic fragments; IPv4 packets
 * have no options, DF set exactly when longer than 1260 bytes unless fragmented (then DF clear), an
 * identification taken from a twin of the translator's seeded generator when unfragmented (that is what
 * the IPv6-to-IPv4 direction draws), non-zero UDP checksums, and ICMP errors only of the types and codes
 * RFC 7915 maps one to one.
 */
class TranslationRoundTripTest {
    private static final int CASES = 4000;
    private static final Nat64Prefix[] PREFIXES = {Nat64Prefix.WELL_KNOWN, Nat64Prefix.parse("2001:db8::/32"),
            Nat64Prefix.parse("2001:db8:100::/40"), Nat64Prefix.parse("2001:db8:122::/48"),
            Nat64Prefix.parse("2001:db8:122:300::/56"), Nat64Prefix.parse("2001:db8:122:344::/64")};
    private final ByteBuffer middle = ByteBuffer.allocate(2048);
    private final ByteBuffer back = ByteBuffer.allocate(2048);

    @Test
    void ipv6PacketsSurviveTranslationToIpv4AndBack() {
        SplittableRandom random = new SplittableRandom(6052);
        for (int i = 0; i < CASES; i++) {
            Nat64Prefix prefix = PREFIXES[i % PREFIXES.length];
            Nat64Translator translator = new Nat64Translator(prefix, false, new SplittableRandom(i));
            byte[] original = randomIpv6(random, prefix);

            int n4 = translator.translate6to4(Packets.parse(original.clone()), middle, 0, 2048);
            assertThat(n4).as("case %d: %s", i, n4 < 0 ? DropReason.ofResult(n4) : "").isPositive();
            assertChecksumsAreFullRecomputations(middle, n4);
            int n6 = translator.translate4to6(Packets.parse(middle, 0, n4), back, 0, 2048);
            assertThat(n6).as("case %d back: %s", i, n6 < 0 ? DropReason.ofResult(n6) : "").isPositive();

            assertThat(Packets.bytes(back, 0, n6)).as("case %d", i).isEqualTo(original);
        }
    }

    @Test
    void ipv4PacketsSurviveTranslationToIpv6AndBack() {
        SplittableRandom random = new SplittableRandom(7915);
        for (int i = 0; i < CASES; i++) {
            Nat64Prefix prefix = PREFIXES[i % PREFIXES.length];
            Nat64Translator translator = new Nat64Translator(prefix, false, new SplittableRandom(i));
            SplittableRandom twin = new SplittableRandom(i);
            byte[] original = randomIpv4(random, twin);

            int n6 = translator.translate4to6(Packets.parse(original.clone()), middle, 0, 2048);
            assertThat(n6).as("case %d: %s", i, n6 < 0 ? DropReason.ofResult(n6) : "").isPositive();
            assertChecksumsAreFullRecomputations(middle, n6);
            int n4 = translator.translate6to4(Packets.parse(middle, 0, n6), back, 0, 2048);
            assertThat(n4).as("case %d back: %s", i, n4 < 0 ? DropReason.ofResult(n4) : "").isPositive();

            assertThat(java.util.HexFormat.of().formatHex(Packets.bytes(back, 0, n4))).as("case %d", i)
                    .isEqualTo(java.util.HexFormat.of().formatHex(original));
        }
    }

    private static void assertChecksumsAreFullRecomputations(ByteBuffer buffer, int length) {
        IpPacket packet = Packets.parse(buffer, 0, length);
        assertThat(packet.hasValidChecksums()).isTrue();
        if (packet.isTransportComplete() && packet.udp() == null) {
            assertThat(packet.computeTransportChecksum()).isGreaterThanOrEqualTo(0);
        }
        if (packet.udp() != null && packet.isTransportComplete()) {
            assertThat(packet.udp().checksum()).isEqualTo(packet.computeTransportChecksum());
        }
        IpPacket quoted = packet.quoted();
        if (quoted != null) {
            int innerAt = quoted.offset();
            int innerLength = quoted.lengthBytes();
            byte[] inner = Packets.bytes(buffer, innerAt, innerLength);
            IpPacket standalone = Packets.parse(inner);
            assertThat(standalone.hasValidChecksums()).as("quoted packet checksums").isTrue();
        }
    }

    private static byte[] randomIpv6(SplittableRandom r, Nat64Prefix prefix) {
        int kind = r.nextInt(6);
        if (kind == 5) {
            byte[] inner = ipv6Transport(r, prefix, r.nextInt(3), 200, -1);
            int[] error = v6Error(r);
            byte[] icmp = Packets.icmp(error[0], error[1], error[2], inner);
            return ipv6Header(r, prefix, Packets.ICMPV6, -1, icmp);
        }
        int fragment = -1;
        if (kind == 4) {
            boolean first = r.nextBoolean();
            fragment = first ? 1 : r.nextInt(1, 8000) << 3 | r.nextInt(2);
        }
        return ipv6Transport(r, prefix, fragment >= 0 ? r.nextInt(2) : r.nextInt(4), 1400, fragment);
    }

    /** A fragment's checksum is never recomputed by the builder; give it an arbitrary non-zero value. */
    private static byte[] withChecksum(SplittableRandom r, byte[] transport, int at, boolean fragment) {
        if (fragment && transport.length >= at + 2) {
            int checksum = r.nextInt(1, 65536);
            transport[at] = (byte) (checksum >>> 8);
            transport[at + 1] = (byte) checksum;
        }
        return transport;
    }

    /** kind 0 TCP, 1 UDP, 2 echo request, 3 echo reply. */
    private static byte[] ipv6Transport(SplittableRandom r, Nat64Prefix prefix, int kind, int maxPayload, int fragment) {
        byte[] payload = randomBytes(r, r.nextInt(maxPayload));
        return switch (kind) {
            case 0 -> ipv6Header(r, prefix, Packets.TCP, fragment,
                    withChecksum(r, Packets.tcp(port(r), port(r), r.nextInt(256), payload), 16, fragment >= 0));
            case 1 -> ipv6Header(r, prefix, Packets.UDP, fragment,
                    withChecksum(r, Packets.udp(port(r), port(r), payload), 6, fragment >= 0));
            default -> ipv6Header(r, prefix, Packets.ICMPV6, fragment,
                    Packets.icmp(kind == 2 ? 128 : 129, 0, r.nextInt(), payload));
        };
    }

    private static byte[] ipv6Header(SplittableRandom r, Nat64Prefix prefix, int protocol, int fragment, byte[] body) {
        int source = r.nextInt();
        int destination = r.nextInt();
        return Packets.ipv6(r.nextInt(256), r.nextInt(1, 256), protocol, prefix.embedHigh(source),
                prefix.embedLow(source), prefix.embedHigh(destination), prefix.embedLow(destination), fragment,
                r.nextInt(65536), body);
    }

    /** Type, code and rest of header of an ICMPv6 error RFC 7915 maps one to one. */
    private static int[] v6Error(SplittableRandom r) {
        int[][] pointerProblems = {{0}, {1}, {4}, {6}, {7}, {8}, {24}};
        return switch (r.nextInt(7)) {
            case 0 -> new int[] {1, 0, 0};
            case 1 -> new int[] {1, 1, 0};
            case 2 -> new int[] {1, 4, 0};
            case 3 -> new int[] {2, 0, r.nextInt(1280, 65556)};
            case 4 -> new int[] {3, r.nextInt(2), 0};
            case 5 -> new int[] {4, 0, pointerProblems[r.nextInt(pointerProblems.length)][0]};
            default -> new int[] {4, 1, 6};
        };
    }

    private static byte[] randomIpv4(SplittableRandom r, SplittableRandom twin) {
        int kind = r.nextInt(6);
        if (kind == 5) {
            int outerId = twin.nextInt() & 0xFFFF;
            byte[] inner = ipv4Transport(r, twin, r.nextInt(3), 200, false);
            int[] error = v4Error(r);
            return ipv4Header(r, Packets.ICMP, outerId, 0, Packets.icmp(error[0], error[1], error[2], inner));
        }
        return ipv4Transport(r, twin, kind == 4 ? r.nextInt(2) : r.nextInt(4), 1400, kind == 4);
    }

    private static byte[] ipv4Transport(SplittableRandom r, SplittableRandom twin, int kind, int maxPayload,
                                        boolean fragment) {
        byte[] payload = randomBytes(r, r.nextInt(maxPayload));
        byte[] transport = switch (kind) {
            case 0 -> withChecksum(r, Packets.tcp(port(r), port(r), r.nextInt(256), payload), 16, fragment);
            case 1 -> withChecksum(r, Packets.udp(port(r), port(r), payload), 6, fragment);
            default -> Packets.icmp(kind == 2 ? 8 : 0, 0, r.nextInt(), payload);
        };
        int protocol = kind == 0 ? Packets.TCP : kind == 1 ? Packets.UDP : Packets.ICMP;
        if (fragment) {
            int flagsOffset = r.nextBoolean() ? 0x2000 : r.nextInt(1, 8000) | (r.nextBoolean() ? 0x2000 : 0);
            return ipv4Header(r, protocol, r.nextInt(65536), flagsOffset, transport);
        }
        int id = twin.nextInt() & 0xFFFF;
        return ipv4Header(r, protocol, id, 20 + transport.length > 1260 ? 0x4000 : 0, transport);
    }

    private static byte[] ipv4Header(SplittableRandom r, int protocol, int id, int flagsOffset, byte[] body) {
        return Packets.ipv4(r.nextInt(256), id, flagsOffset, r.nextInt(1, 256), protocol, r.nextInt(), r.nextInt(),
                body);
    }

    /** Type, code and rest of header of an ICMPv4 error RFC 7915 maps one to one. */
    private static int[] v4Error(SplittableRandom r) {
        int[] pointers = {0, 1, 2, 8, 9, 12, 16};
        return switch (r.nextInt(7)) {
            case 0 -> new int[] {3, 1, 0};
            case 1 -> new int[] {3, 3, 0};
            case 2 -> new int[] {3, 4, r.nextInt(68, 65516)};
            case 3 -> new int[] {3, 2, 0};
            case 4 -> new int[] {3, 10, 0};
            case 5 -> new int[] {11, r.nextInt(2), 0};
            default -> new int[] {12, 0, pointers[r.nextInt(pointers.length)] << 24};
        };
    }

    private static int port(SplittableRandom r) {
        return r.nextInt(65536);
    }

    private static byte[] randomBytes(SplittableRandom r, int length) {
        byte[] bytes = new byte[length];
        r.nextBytes(bytes);
        return bytes;
    }
}
