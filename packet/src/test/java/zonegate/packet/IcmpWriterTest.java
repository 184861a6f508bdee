package zonegate.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class IcmpWriterTest {
    private final PacketParser invokingParser = new PacketParser();
    private final PacketParser replyParser = new PacketParser();
    private final RandomGenerator r = TestPackets.seeded(11);
    private final ByteBuffer out = ByteBuffer.allocateDirect(2048);

    private IpPacket invoking(byte[] p) {
        return invokingParser.parseOrNull(ByteBuffer.wrap(p), 0, p.length);
    }

    private byte[] bigTcp(int version, int payloadBytes) {
        byte[] segment = new byte[20 + payloadBytes];
        segment[12] = 0x50;
        TestPackets.put16(segment, 2, 443);
        return version == 4 ? TestPackets.ipv4(r, IpProtocol.TCP, segment, 0) : TestPackets.ipv6(r, IpProtocol.TCP, segment, 1);
    }

    @ParameterizedTest
    @EnumSource(IcmpError.class)
    void ipv4ErrorQuotesTheWholeSmallPacketAndParsesBack(IcmpError error) {
        byte[] p = bigTcp(4, 40);
        IpPacket in = invoking(p);

        int n = IcmpWriter.writeError(in, error, 1400, out, 0, 2048);

        assertThat(n).isEqualTo(28 + p.length);
        IpPacket reply = replyParser.parseOrNull(out, 0, n);
        assertThat(reply.hasValidChecksums()).isTrue();
        assertThat(reply.ipv4().source()).isEqualTo(in.ipv4().destination());
        assertThat(reply.ipv4().destination()).isEqualTo(in.ipv4().source());
        assertThat(reply.icmpv4().type()).isEqualTo(error.typeV4());
        assertThat(reply.icmpv4().code()).isEqualTo(error.codeV4());
        if (error == IcmpError.PACKET_TOO_BIG) {
            assertThat(reply.icmpv4().nextHopMtuBytes()).isEqualTo(1400);
        }
        assertThat(TestPackets.read(out, 28, p.length)).isEqualTo(p);
        assertThat(reply.quoted().tcp().destinationPort()).isEqualTo(443);
    }

    @ParameterizedTest
    @EnumSource(IcmpError.class)
    void ipv6ErrorQuotesTheWholeSmallPacketAndParsesBack(IcmpError error) {
        byte[] p = bigTcp(6, 100);
        IpPacket in = invoking(p);

        int n = IcmpWriter.writeError(in, error, 1280, out, 0, 2048);

        assertThat(n).isEqualTo(48 + p.length);
        IpPacket reply = replyParser.parseOrNull(out, 0, n);
        assertThat(reply.hasValidChecksums()).isTrue();
        assertThat(reply.icmpv6().type()).isEqualTo(error.typeV6());
        assertThat(reply.icmpv6().code()).isEqualTo(error.codeV6());
        assertThat(reply.ipv6().sourceLow()).isEqualTo(in.ipv6().destinationLow());
        if (error == IcmpError.PACKET_TOO_BIG) {
            assertThat(reply.icmpv6().mtuBytes()).isEqualTo(1280);
        }
        assertThat(reply.quoted().tcp().destinationPort()).isEqualTo(443);
    }

    @Test
    void ipv4ErrorAboutALargePacketStopsAt576Bytes() {
        IpPacket in = invoking(bigTcp(4, 1300));

        int n = IcmpWriter.writeError(in, IcmpError.ADMINISTRATIVELY_PROHIBITED, 0, out, 0, 2048);

        assertThat(n).isEqualTo(576);
        IpPacket reply = replyParser.parseOrNull(out, 0, n);
        assertThat(reply.hasValidChecksums()).isTrue();
        assertThat(reply.quoted().lengthBytes()).isEqualTo(576 - 28);
    }

    @Test
    void ipv6ErrorAboutALargePacketFillsTheMinimumMtu() {
        IpPacket in = invoking(bigTcp(6, 1400));

        int n = IcmpWriter.writeError(in, IcmpError.PACKET_TOO_BIG, 1280, out, 0, 2048);

        assertThat(n).isEqualTo(1280);
        assertThat(replyParser.parseOrNull(out, 0, n).hasValidChecksums()).isTrue();
    }

    @Test
    void smallCapacityShortensTheQuoteButKeepsHeaderPlusEightBytes() {
        IpPacket in = invoking(bigTcp(4, 200));

        int n = IcmpWriter.writeError(in, IcmpError.HOST_UNREACHABLE, 0, out, 0, 56);

        assertThat(n).isEqualTo(56);
        assertThat(replyParser.parseOrNull(out, 0, n).quoted().tcp().sourcePort()).isNotNegative();
        assertThatThrownBy(() -> IcmpWriter.writeError(in, IcmpError.HOST_UNREACHABLE, 0, out, 0, 55))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverAnswersAnIcmpErrorWithAnError() {
        IpPacket in = invoking(bigTcp(4, 0));
        int n = IcmpWriter.writeError(in, IcmpError.PORT_UNREACHABLE, 0, out, 0, 2048);
        byte[] error = TestPackets.read(out, 0, n);

        assertThat(IcmpWriter.writeError(invoking(error), IcmpError.PORT_UNREACHABLE, 0, out, 0, 2048)).isZero();
    }

    @Test
    void neverAnswersNonFirstFragmentsMulticastOrBroadcast() {
        byte[] fragment = bigTcp(4, 0);
        TestPackets.put16(fragment, 6, 0x0004);
        TestPackets.fixChecksums(fragment, 0);
        byte[] multicast = bigTcp(4, 0);
        multicast[16] = (byte) 239;
        TestPackets.fixChecksums(multicast, 0);
        byte[] broadcast = bigTcp(4, 0);
        for (int i = 16; i < 20; i++) {
            broadcast[i] = (byte) 0xFF;
        }
        TestPackets.fixChecksums(broadcast, 0);
        byte[] multicast6 = bigTcp(6, 0);
        multicast6[24] = (byte) 0xFF;
        TestPackets.fixChecksums(multicast6, 0);

        assertThat(IcmpWriter.mayRespondWithError(invoking(fragment))).isFalse();
        assertThat(IcmpWriter.mayRespondWithError(invoking(multicast))).isFalse();
        assertThat(IcmpWriter.mayRespondWithError(invoking(broadcast))).isFalse();
        assertThat(IcmpWriter.mayRespondWithError(invoking(multicast6))).isFalse();
        assertThat(IcmpWriter.writeError(invoking(multicast6), IcmpError.PACKET_TOO_BIG, 1280, out, 0, 2048)).isZero();
    }

    @Test
    void echoRepliesSwapAddressesAndKeepIdSequenceAndData() {
        for (int version : new int[] {4, 6}) {
            byte[] echo = TestPackets.echo(r, version == 6, true);
            byte[] p = version == 4 ? TestPackets.ipv4(r, IpProtocol.ICMP, echo, 2) : TestPackets.ipv6(r, IpProtocol.ICMPV6, echo, 2);
            IpPacket in = invoking(p);

            int n = IcmpWriter.writeEchoReply(in, out, 0, 2048);

            IpPacket reply = replyParser.parseOrNull(out, 0, n);
            assertThat(reply.hasValidChecksums()).isTrue();
            if (version == 4) {
                assertThat(reply.icmpv4().isEchoReply()).isTrue();
                assertThat(reply.icmpv4().identifier()).isEqualTo(in.icmpv4().identifier());
                assertThat(reply.ipv4().destination()).isEqualTo(in.ipv4().source());
            } else {
                assertThat(reply.icmpv6().isEchoReply()).isTrue();
                assertThat(reply.icmpv6().sequence()).isEqualTo(in.icmpv6().sequence());
                assertThat(reply.ipv6().destinationHigh()).isEqualTo(in.ipv6().sourceHigh());
            }
            assertThat(reply.transportLengthBytes()).isEqualTo(echo.length);
        }
    }

    @Test
    void echoReplyIsNotWrittenForAnythingButARequest() {
        IpPacket in = invoking(bigTcp(4, 0));

        assertThat(IcmpWriter.writeEchoReply(in, out, 0, 2048)).isZero();
    }

    @Test
    void rewritingTheSourceOfABuiltErrorKeepsItValid() {
        IpPacket in = invoking(bigTcp(6, 10));
        int n = IcmpWriter.writeError(in, IcmpError.NETWORK_UNREACHABLE, 0, out, 0, 2048);
        IpPacket reply = replyParser.parseOrNull(out, 0, n);

        reply.ipv6().setSource(0xFD00_2021_1111_0000L, 1);

        assertThat(reply.hasValidChecksums()).isTrue();
    }
}
