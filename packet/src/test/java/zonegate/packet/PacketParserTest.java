package zonegate.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PacketParserTest {
    private final PacketParser parser = new PacketParser();

    /** 10.0.0.1:40000 -> 10.0.0.2:443 TCP SYN, no options, valid checksums. */
    private byte[] tcpSyn4() {
        byte[] p = TestPackets.hex("45000028 abcd4000 40060000 0a000001 0a000002"
                + "9c4001bb 00000001 00000000 50020200 00000000");
        TestPackets.fixChecksums(p, 0);
        return p;
    }

    private ParseResult parse(byte[] p) {
        return parser.parse(ByteBuffer.wrap(p), 0, p.length);
    }

    private Rejection rejection(byte[] p) {
        return parse(p) instanceof ParseResult.Rejected(Rejection reason) ? reason : null;
    }

    @Test
    void parsesHandMadeIpv4TcpSyn() {
        IpPacket p = parser.parseOrNull(ByteBuffer.wrap(tcpSyn4()), 0, 40);

        assertThat(p.version()).isEqualTo(4);
        assertThat(p.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(p.ipv4().source()).isEqualTo(0x0A000001);
        assertThat(p.ipv4().destinationAddress().getHostAddress()).isEqualTo("10.0.0.2");
        assertThat(p.ipv4().ttl()).isEqualTo(64);
        assertThat(p.ipv4().dontFragment()).isTrue();
        assertThat(p.tcp().sourcePort()).isEqualTo(40000);
        assertThat(p.tcp().destinationPort()).isEqualTo(443);
        assertThat(p.tcp().isSyn()).isTrue();
        assertThat(p.tcp().isAck()).isFalse();
        assertThat(p.tcp().headerLengthBytes()).isEqualTo(20);
        assertThat(p.fragment()).isEqualTo(FragmentPosition.NONE);
        assertThat(p.hasValidChecksums()).isTrue();
    }

    @Test
    void parsesAtAnOffsetInADirectBufferAndIgnoresTrailingPadding() {
        byte[] p = tcpSyn4();
        ByteBuffer direct = ByteBuffer.allocateDirect(100);
        direct.put(7, p);

        IpPacket packet = parser.parseOrNull(direct, 7, p.length + 20);

        assertThat(packet.lengthBytes()).isEqualTo(40);
        assertThat(packet.tcp().destinationPort()).isEqualTo(443);
    }

    @Test
    void walksIpv6ExtensionHeadersToUdp() {
        byte[] udp = TestPackets.udp(TestPackets.seeded(1), false);
        byte[] p = TestPackets.ipv6(TestPackets.seeded(2), IpProtocol.UDP, udp, 3);

        IpPacket packet = parser.parseOrNull(ByteBuffer.wrap(p), 0, p.length);

        assertThat(packet.version()).isEqualTo(6);
        assertThat(packet.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(packet.ipv6().extensionHeadersLengthBytes()).isEqualTo(p.length - 40 - udp.length);
        assertThat(packet.udp().datagramLengthBytes()).isEqualTo(udp.length);
        assertThat(packet.hasValidChecksums()).isTrue();
    }

    @Test
    void rejectsEachKindOfBadHeader() {
        byte[] good = tcpSyn4();
        assertThat(rejection(new byte[0])).isEqualTo(Rejection.TRUNCATED);
        assertThat(rejection(java.util.Arrays.copyOf(good, 19))).isEqualTo(Rejection.TRUNCATED);
        assertThat(rejection(java.util.Arrays.copyOf(good, 39))).isEqualTo(Rejection.TRUNCATED);

        byte[] version = good.clone();
        version[0] = 0x55;
        assertThat(rejection(version)).isEqualTo(Rejection.BAD_VERSION);

        byte[] ihl = good.clone();
        ihl[0] = 0x44;
        assertThat(rejection(ihl)).isEqualTo(Rejection.BAD_HEADER_LENGTH);

        byte[] total = good.clone();
        TestPackets.put16(total, 2, 19);
        assertThat(rejection(total)).isEqualTo(Rejection.BAD_TOTAL_LENGTH);

        byte[] checksum = good.clone();
        checksum[10] ^= 1;
        assertThat(rejection(checksum)).isEqualTo(Rejection.BAD_CHECKSUM);

        byte[] protocol = good.clone();
        protocol[9] = 47;
        TestPackets.fixChecksums(protocol, 0);
        assertThat(rejection(protocol)).isEqualTo(Rejection.UNSUPPORTED_PROTOCOL);

        byte[] dataOffset = good.clone();
        dataOffset[32] = 0x40;
        assertThat(rejection(dataOffset)).isEqualTo(Rejection.BAD_TRANSPORT_HEADER);
    }

    @Test
    void rejectsHopByHopThatIsNotFirstAndJumbograms() {
        byte[] p = TestPackets.ipv6(TestPackets.seeded(3), IpProtocol.UDP, TestPackets.udp(TestPackets.seeded(3), false), 0);
        byte[] late = TestPackets.ipv6(TestPackets.seeded(4), IpProtocol.UDP, new byte[8], 0);
        // destination options (60) then hop-by-hop (0): 40 + 8 + 8 bytes, payload 16.
        byte[] misplaced = new byte[56];
        System.arraycopy(late, 0, misplaced, 0, 40);
        TestPackets.put16(misplaced, 4, 16);
        misplaced[6] = 60;
        misplaced[40] = 0;
        misplaced[48] = 17;
        assertThat(rejection(misplaced)).isEqualTo(Rejection.BAD_EXTENSION_HEADER);

        TestPackets.put16(p, 4, 0);
        p[6] = 0;
        assertThat(rejection(p)).isEqualTo(Rejection.BAD_TOTAL_LENGTH);
    }

    @Test
    void reportsIpv4FirstAndNonFirstFragments() {
        byte[] first = tcpSyn4();
        TestPackets.put16(first, 6, 0x2000);
        TestPackets.fixChecksums(first, 0);
        byte[] later = tcpSyn4();
        TestPackets.put16(later, 6, 0x0010);
        TestPackets.fixChecksums(later, 0);

        IpPacket p = parser.parseOrNull(ByteBuffer.wrap(first), 0, first.length);
        assertThat(p.fragment()).isEqualTo(FragmentPosition.FIRST);
        assertThat(p.tcp()).isNotNull();

        p = parser.parseOrNull(ByteBuffer.wrap(later), 0, later.length);
        assertThat(p.fragment()).isEqualTo(FragmentPosition.NON_FIRST);
        assertThat(p.ipv4().fragmentOffsetBytes()).isEqualTo(128);
        assertThat(p.tcp()).isNull();
        assertThat(p.sourcePort()).isEqualTo(-1);
    }

    @Test
    void reportsIpv6NonFirstFragmentWithoutTransport() {
        byte[] p = TestPackets.ipv6(TestPackets.seeded(5), IpProtocol.UDP, new byte[24], 0);
        byte[] f = new byte[p.length + 8];
        System.arraycopy(p, 0, f, 0, 40);
        TestPackets.put16(f, 4, 32);
        f[6] = 44;
        f[40] = 17;
        TestPackets.put16(f, 42, 0x0100 | 1);

        IpPacket packet = parser.parseOrNull(ByteBuffer.wrap(f), 0, f.length);

        assertThat(packet.fragment()).isEqualTo(FragmentPosition.NON_FIRST);
        assertThat(packet.ipv6().fragmentOffsetBytes()).isEqualTo(256);
        assertThat(packet.ipv6().moreFragments()).isTrue();
        assertThat(packet.udp()).isNull();
    }

    @Test
    void rejectingPolicyRefusesFragments() {
        byte[] first = tcpSyn4();
        TestPackets.put16(first, 6, 0x2000);
        TestPackets.fixChecksums(first, 0);

        ParseResult result = new PacketParser(FragmentPolicy.REJECT).parse(ByteBuffer.wrap(first), 0, first.length);

        assertThat(result).isEqualTo(ParseResult.Rejected.of(Rejection.FRAGMENT));
    }

    @Test
    void icmpErrorExposesTheQuotedPacketAsANestedView() {
        byte[] inner = tcpSyn4();
        byte[] error = TestPackets.error(TestPackets.seeded(6), false, inner, 28);
        error[1] = 13;
        byte[] p = TestPackets.ipv4(TestPackets.seeded(7), IpProtocol.ICMP, error, 0);

        IpPacket packet = parser.parseOrNull(ByteBuffer.wrap(p), 0, p.length);

        assertThat(packet.icmpv4().isError()).isTrue();
        IpPacket quoted = packet.quoted();
        assertThat(quoted.isQuoted()).isTrue();
        assertThat(quoted.ipv4().destination()).isEqualTo(0x0A000002);
        assertThat(quoted.tcp().destinationPort()).isEqualTo(443);
        assertThat(quoted.tcp().checksum()).isEqualTo(-1);
        assertThat(quoted.tcp().isSyn()).isFalse();
    }

    @Test
    void parsingNeverAllocatesANewResult() {
        byte[] p = tcpSyn4();
        ParseResult first = parse(p);
        ParseResult second = parse(p);

        assertThat(second).isSameAs(first);
    }
}
