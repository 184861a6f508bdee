package zonegate.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests: thousands of random v4/v6 × TCP/UDP/ICMP(v6) packets with random IPv4 options
 * and IPv6 extension headers; after every kind of in-place rewrite each checksum must equal a full
 * recomputation by the independent reference in {@link TestPackets}.
 */
class RewriteChecksumPropertyTest {
    private static final int PACKETS_PER_VERSION = 3000;

    private final PacketParser parser = new PacketParser();

    private static RandomGenerator seeded(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    @Test
    void generatedPacketsParseWithValidChecksums() {
        RandomGenerator r = seeded(1);
        for (int i = 0; i < PACKETS_PER_VERSION; i++) {
            byte[] bytes = TestPackets.random(r, r.nextBoolean() ? 4 : 6, true);
            int offset = r.nextInt(5);
            ByteBuffer buffer = TestPackets.place(r, bytes, offset);

            IpPacket packet = parser.parseOrNull(buffer, offset, bytes.length);

            assertThat(packet).as("packet %d", i).isNotNull();
            assertThat(packet.hasValidChecksums()).isTrue();
            assertThat(packet.computeTransportChecksum()).isNotNegative();
        }
    }

    @Test
    void everyRewriteOfIpv4PacketsLeavesEveryChecksumEqualToFullRecomputation() {
        rewriteMany(seeded(4), 4);
    }

    @Test
    void everyRewriteOfIpv6PacketsLeavesEveryChecksumEqualToFullRecomputation() {
        rewriteMany(seeded(6), 6);
    }

    @Test
    void rewritingTheQuotedPacketOfIcmpErrorsKeepsOuterAndInnerChecksumsValid() {
        RandomGenerator r = seeded(7);
        int rewritten = 0;
        while (rewritten < PACKETS_PER_VERSION) {
            byte[] bytes = TestPackets.random(r, r.nextBoolean() ? 4 : 6, true);
            int offset = r.nextInt(3);
            ByteBuffer buffer = TestPackets.place(r, bytes, offset);
            IpPacket packet = parser.parseOrNull(buffer, offset, bytes.length);
            assertThat(packet).isNotNull();
            IpPacket inner = packet.quoted();
            if (inner == null) {
                continue;
            }
            for (int op = 0; op < 6; op++) {
                String what = rewrite(r, inner);
                assertValid(buffer, offset, bytes.length, "quoted " + what);
            }
            rewritten++;
        }
    }

    @Test
    void referenceCheckerNoticesACorruptedChecksum() {
        RandomGenerator r = seeded(8);
        byte[] bytes = TestPackets.ipv6(r, TestPackets.TCP, TestPackets.tcp(r), 2);
        assertThat(TestPackets.checksumMismatch(bytes, 0)).isNull();

        bytes[bytes.length - 1] ^= 0x01;

        assertThat(TestPackets.checksumMismatch(bytes, 0)).isNotNull();
    }

    @Test
    void udpOverIpv4WithoutChecksumKeepsZeroAfterRewrites() {
        RandomGenerator r = seeded(9);
        byte[] bytes = TestPackets.ipv4(r, TestPackets.UDP, TestPackets.udp(r, true), 2);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        IpPacket packet = parser.parseOrNull(buffer, 0, bytes.length);

        packet.ipv4().setDestination(0x0A000001);
        packet.setDestinationPort(53);
        packet.setSourcePort(40000);

        assertThat(packet.udp().checksum()).isZero();
        assertThat(packet.ipv4().isHeaderChecksumValid()).isTrue();
    }

    private void rewriteMany(RandomGenerator r, int version) {
        for (int i = 0; i < PACKETS_PER_VERSION; i++) {
            byte[] bytes = TestPackets.random(r, version, true);
            int offset = r.nextInt(5);
            ByteBuffer buffer = TestPackets.place(r, bytes, offset);
            IpPacket packet = parser.parseOrNull(buffer, offset, bytes.length);
            assertThat(packet).isNotNull();
            int udpBefore = packet.udp() == null ? -1 : packet.udp().checksum();
            for (int op = 0; op < 4; op++) {
                String what = rewrite(r, packet);
                assertValid(buffer, offset, bytes.length, what);
            }
            if (udpBefore == 0) {
                assertThat(packet.udp().checksum()).isZero();
            }
        }
    }

    private static void assertValid(ByteBuffer buffer, int offset, int length, String what) {
        byte[] now = TestPackets.read(buffer, offset, length);
        assertThat(TestPackets.checksumMismatch(now, 0)).as("after %s", what).isNull();
    }

    /** Applies one random rewrite, checks the getter sees it, and names it. */
    private static String rewrite(RandomGenerator r, IpPacket p) {
        int choice = r.nextInt(8);
        switch (choice) {
            case 0, 1 -> {
                if (p.version() == 4) {
                    int address = r.nextInt();
                    if (choice == 0) {
                        p.ipv4().setSource(address);
                        assertThat(p.ipv4().source()).isEqualTo(address);
                    } else {
                        p.ipv4().setDestination(address);
                        assertThat(p.ipv4().destination()).isEqualTo(address);
                    }
                } else {
                    long high = r.nextLong();
                    long low = r.nextLong();
                    if (choice == 0) {
                        p.ipv6().setSource(high, low);
                        assertThat(p.ipv6().sourceLow()).isEqualTo(low);
                    } else {
                        p.ipv6().setDestination(high, low);
                        assertThat(p.ipv6().destinationHigh()).isEqualTo(high);
                    }
                }
                return choice == 0 ? "source address" : "destination address";
            }
            case 2, 3 -> {
                int port = r.nextInt(65536);
                boolean applied = choice == 2 ? p.setSourcePort(port) : p.setDestinationPort(port);
                if (applied) {
                    assertThat(choice == 2 ? p.sourcePort() : p.destinationPort()).isEqualTo(port);
                }
                return "port";
            }
            case 4 -> {
                int id = r.nextInt(65536);
                if (p.icmpv4() != null && !p.icmpv4().isError()) {
                    p.icmpv4().setIdentifier(id);
                    p.icmpv4().setSequence(id ^ 0x5A5A);
                    assertThat(p.icmpv4().identifier()).isEqualTo(id);
                } else if (p.icmpv6() != null && !p.icmpv6().isError()) {
                    p.icmpv6().setIdentifier(id);
                    assertThat(p.icmpv6().identifier()).isEqualTo(id);
                }
                return "icmp id";
            }
            case 5 -> {
                int hops = r.nextInt(256);
                p.setHopLimit(hops);
                assertThat(p.hopLimit()).isEqualTo(hops);
                return "ttl/hop limit";
            }
            case 6 -> {
                int dscp = r.nextInt(64);
                if (p.version() == 4) {
                    p.ipv4().setDscp(dscp);
                    assertThat(p.ipv4().dscp()).isEqualTo(dscp);
                } else {
                    p.ipv6().setDscp(dscp);
                    assertThat(p.ipv6().dscp()).isEqualTo(dscp);
                }
                return "dscp";
            }
            default -> {
                int ecn = r.nextInt(4);
                if (p.version() == 4) {
                    p.ipv4().setEcn(ecn);
                    assertThat(p.ipv4().ecn()).isEqualTo(ecn);
                } else {
                    p.ipv6().setEcn(ecn);
                    assertThat(p.ipv6().ecn()).isEqualTo(ecn);
                }
                return "ecn";
            }
        }
    }
}
