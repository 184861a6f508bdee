package zonegate.nat64;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.packet.IpPacket;

class Nat64TranslatorTest {
    private static final int V4_CLIENT = 0xC0000221;   // 192.0.2.33
    private static final int V4_SERVER = 0xC6336401;   // 198.51.100.1
    private final Nat64Prefix prefix = Nat64Prefix.WELL_KNOWN;
    private final Nat64Translator translator = new Nat64Translator(prefix, false, new SplittableRandom(1));
    private final ByteBuffer out = ByteBuffer.allocate(2048);

    @Test
    void ipv6TcpBecomesIpv4WithHeaderFieldsCarriedOver() {
        byte[] v6 = v6(0xB8, 63, Packets.TCP, -1, Packets.tcp(40000, 443, 0x02, new byte[10]));

        int n = translator.translate6to4(Packets.parse(v6), out, 0, 2048);

        IpPacket p = Packets.parse(out, 0, n);
        assertThat(n).isEqualTo(20 + 30);
        assertThat(p.ipv4().source()).isEqualTo(V4_CLIENT);
        assertThat(p.ipv4().destination()).isEqualTo(V4_SERVER);
        assertThat(p.ipv4().trafficClass()).isEqualTo(0xB8);
        assertThat(p.ipv4().ttl()).as("not decremented by default").isEqualTo(63);
        assertThat(p.ipv4().dontFragment()).isFalse();
        assertThat(p.hasValidChecksums()).isTrue();
    }

    @Test
    void hopLimitIsDecrementedAndExhaustionDroppedWhenActingAsRouter() {
        Nat64Translator router = new Nat64Translator(prefix, true, new SplittableRandom(1));
        byte[] alive = v6(0, 2, Packets.UDP, -1, Packets.udp(1, 2, new byte[4]));
        byte[] dying = v6(0, 1, Packets.UDP, -1, Packets.udp(1, 2, new byte[4]));

        int n = router.translate6to4(Packets.parse(alive), out, 0, 2048);
        int dropped = router.translate6to4(Packets.parse(dying), out, 0, 2048);

        assertThat(Packets.parse(out, 0, n).ipv4().ttl()).isEqualTo(1);
        assertThat(DropReason.ofResult(dropped)).isEqualTo(DropReason.HOP_LIMIT_EXCEEDED);
        assertThat(router.dropCount(DropReason.HOP_LIMIT_EXCEEDED)).isEqualTo(1);
    }

    @Test
    void ipv4FragmentGetsAFragmentHeaderWithItsIdentificationOffsetAndMoreFlag() {
        byte[] v4 = Packets.ipv4(0, 0x1234, 0x2000 | 185, 64, Packets.UDP, V4_SERVER, V4_CLIENT, new byte[64]);

        int n = translator.translate4to6(Packets.parse(v4), out, 0, 2048);

        IpPacket p = Packets.parse(out, 0, n);
        assertThat(n).isEqualTo(40 + 8 + 64);
        assertThat(p.ipv6().hasFragmentHeader()).isTrue();
        assertThat(p.ipv6().fragmentIdentification()).isEqualTo(0x1234);
        assertThat(p.ipv6().fragmentOffsetBytes()).isEqualTo(185 * 8);
        assertThat(p.ipv6().moreFragments()).isTrue();
    }

    @Test
    void zeroUdpChecksumOverIpv4IsComputedForIpv6() {
        byte[] v4 = Packets.ipv4(0, 1, 0, 64, Packets.UDP, V4_SERVER, V4_CLIENT, Packets.udp(53, 4000, new byte[21]));
        v4[26] = 0;
        v4[27] = 0;

        int n = translator.translate4to6(Packets.parse(v4), out, 0, 2048);

        IpPacket p = Packets.parse(out, 0, n);
        assertThat(p.udp().checksum()).isNotZero().isEqualTo(p.computeTransportChecksum());
    }

    @Test
    void zeroUdpChecksumInAFirstFragmentIsDropped() {
        byte[] transport = Packets.udp(53, 4000, new byte[64]);
        byte[] v4 = Packets.ipv4(0, 1, 0x2000, 64, Packets.UDP, V4_SERVER, V4_CLIENT, transport);

        int result = translator.translate4to6(Packets.parse(v4), out, 0, 2048);

        assertThat(DropReason.ofResult(result)).isEqualTo(DropReason.UDP_ZERO_CHECKSUM_FRAGMENT);
    }

    @Test
    void echoRequestAndReplyTypesAreMapped() {
        byte[] request = Packets.ipv4(0, 1, 0, 64, Packets.ICMP, V4_CLIENT, V4_SERVER, Packets.icmp(8, 0, 0x00070001, new byte[8]));

        int n = translator.translate4to6(Packets.parse(request), out, 0, 2048);

        IpPacket p = Packets.parse(out, 0, n);
        assertThat(p.icmpv6().type()).isEqualTo(128);
        assertThat(p.icmpv6().identifier()).isEqualTo(7);
        assertThat(p.hasValidChecksums()).isTrue();
    }

    @Test
    void packetTooBigMtuShrinksBy20TowardsIpv4() {
        byte[] inner = v6(0, 64, Packets.UDP, -1, Packets.udp(1, 2, new byte[1400]));
        byte[] tooBig = v6(0, 64, Packets.ICMPV6, -1, Packets.icmp(2, 0, 1400, java.util.Arrays.copyOf(inner, 1184)));

        int n = translator.translate6to4(Packets.parse(tooBig), out, 0, 2048);

        IpPacket p = Packets.parse(out, 0, n);
        assertThat(p.icmpv4().type()).isEqualTo(3);
        assertThat(p.icmpv4().code()).isEqualTo(4);
        assertThat(p.icmpv4().nextHopMtuBytes()).isEqualTo(1380);
        assertThat(n).as("ICMPv4 errors are cut to 576 bytes").isEqualTo(576);
        assertThat(p.hasValidChecksums()).isTrue();
        assertThat(p.quoted().ipv4().totalLengthBytes()).isEqualTo(20 + 1408);
    }

    @Test
    void fragmentationNeededMtuGrowsBy20TowardsIpv6() {
        byte[] v4 = fragmentationNeeded(1400, 1500);

        int n = translator.translate4to6(Packets.parse(v4), out, 0, 2048);

        IpPacket p = Packets.parse(out, 0, n);
        assertThat(p.icmpv6().type()).isEqualTo(2);
        assertThat(p.icmpv6().mtuBytes()).isEqualTo(1420);
        assertThat(p.hasValidChecksums()).isTrue();
    }

    @Test
    void fragmentationNeededWithZeroMtuUsesThePlateauBelowTheQuotedLength() {
        byte[] v4 = fragmentationNeeded(0, 1500);

        int n = translator.translate4to6(Packets.parse(v4), out, 0, 2048);

        assertThat(Packets.parse(out, 0, n).icmpv6().mtuBytes()).as("plateau 1492 + 20").isEqualTo(1512);
    }

    @Test
    void parameterProblemPointerIsTranslated() {
        byte[] inner = Packets.ipv4(0, 1, 0, 64, Packets.UDP, V4_CLIENT, V4_SERVER, Packets.udp(1, 2, new byte[4]));
        byte[] v4 = Packets.ipv4(0, 2, 0, 64, Packets.ICMP, V4_SERVER, V4_CLIENT, Packets.icmp(12, 0, 9 << 24, inner));

        int n = translator.translate4to6(Packets.parse(v4), out, 0, 2048);

        IpPacket p = Packets.parse(out, 0, n);
        assertThat(p.icmpv6().type()).isEqualTo(4);
        assertThat(p.icmpv6().mtuBytes()).as("pointer to protocol becomes pointer to next header").isEqualTo(6);
    }

    @Test
    void unsupportedIcmpTypesAreDroppedWithAReason() {
        byte[] redirect = Packets.ipv4(0, 1, 0, 64, Packets.ICMP, V4_SERVER, V4_CLIENT, Packets.icmp(5, 0, 0, new byte[28]));
        byte[] neighbourSolicitation = v6(0, 255, Packets.ICMPV6, -1, Packets.icmp(135, 0, 0, new byte[16]));

        assertThat(DropReason.ofResult(translator.translate4to6(Packets.parse(redirect), out, 0, 2048)))
                .isEqualTo(DropReason.UNSUPPORTED_ICMP_TYPE);
        assertThat(DropReason.ofResult(translator.translate6to4(Packets.parse(neighbourSolicitation), out, 0, 2048)))
                .isEqualTo(DropReason.UNSUPPORTED_ICMP_TYPE);
    }

    @Test
    void ipv6AddressOutsideThePrefixIsNotTranslatable() {
        byte[] v6 = Packets.ipv6(0, 64, Packets.UDP, 0x2001_0DB8_0000_0000L, 1, prefix.embedHigh(V4_SERVER),
                prefix.embedLow(V4_SERVER), -1, 0, Packets.udp(1, 2, new byte[4]));

        assertThat(DropReason.ofResult(translator.translate6to4(Packets.parse(v6), out, 0, 2048)))
                .isEqualTo(DropReason.ADDRESS_NOT_TRANSLATABLE);
    }

    @Test
    void tooSmallOutputIsADropNotAnException() {
        byte[] v4 = Packets.ipv4(0, 1, 0, 64, Packets.UDP, V4_SERVER, V4_CLIENT, Packets.udp(1, 2, new byte[100]));

        assertThat(DropReason.ofResult(translator.translate4to6(Packets.parse(v4), out, 0, 100)))
                .isEqualTo(DropReason.OUTPUT_TOO_SMALL);
    }

    private byte[] fragmentationNeeded(int mtu, int quotedTotalLength) {
        byte[] inner = Packets.ipv4(0, 1, 0x4000, 64, Packets.TCP, V4_CLIENT, V4_SERVER,
                Packets.tcp(1, 2, 0x10, new byte[quotedTotalLength - 40]));
        return Packets.ipv4(0, 2, 0, 64, Packets.ICMP, V4_SERVER, V4_CLIENT,
                Packets.icmp(3, 4, mtu, java.util.Arrays.copyOf(inner, 548)));
    }

    private byte[] v6(int trafficClass, int hop, int protocol, int fragment, byte[] transport) {
        return Packets.ipv6(trafficClass, hop, protocol, prefix.embedHigh(V4_CLIENT), prefix.embedLow(V4_CLIENT),
                prefix.embedHigh(V4_SERVER), prefix.embedLow(V4_SERVER), fragment, 0, transport);
    }
}
