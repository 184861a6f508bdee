package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.internal.client.StubFixture.CLIENT4;
import static zonegate.tunnel.internal.client.StubFixture.SENTINEL4;
import static zonegate.tunnel.internal.client.StubFixture.dnsOf;
import static zonegate.tunnel.internal.client.StubFixture.id;
import static zonegate.tunnel.internal.client.StubFixture.query;
import static zonegate.tunnel.internal.client.StubFixture.rcode;
import static zonegate.tunnel.internal.client.StubFixture.resolver;
import static zonegate.tunnel.internal.client.StubFixture.send;
import static zonegate.tunnel.internal.client.StubFixture.udp;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import zonegate.packet.IpProtocol;
import zonegate.tunnel.dns.DnsQuery;

/** Packets and messages the resolver cannot use: dropped or answered with an error, counted, never thrown. */
class StubResolverMalformedTest {
    @Test
    void bytesThatAreNotAnIpPacketAreDropped() {
        StubResolver stub = resolver();

        StubResult r = send(stub, new byte[] {0x45, 0, 0}, 0);

        assertThat(r).isEqualTo(new StubResult.Dropped(StubCounter.NOT_A_DNS_PACKET));
        assertThat(stub.count(StubCounter.NOT_A_DNS_PACKET)).isEqualTo(1);
    }

    @Test
    void udpToAnotherPortIsDropped() {
        StubResolver stub = resolver();

        StubResult r = send(stub, udp(CLIENT4, 1000, SENTINEL4, 54, query(1, "a.org", DnsQuery.TYPE_A, 0)), 0);

        assertThat(r).isEqualTo(new StubResult.Dropped(StubCounter.NOT_A_DNS_PACKET));
    }

    @Test
    void tcpToPort53IsDropped() {
        StubResolver stub = resolver();
        byte[] tcp = new byte[20];
        tcp[3] = 53;
        tcp[12] = 5 << 4;

        StubResult r = send(stub, StubFixture.ipPacket(CLIENT4, SENTINEL4, IpProtocol.TCP, tcp), 0);

        assertThat(r).isEqualTo(new StubResult.Dropped(StubCounter.NOT_A_DNS_PACKET));
    }

    @Test
    void aRegionOutsideTheBufferIsDroppedNotThrown() {
        StubResolver stub = resolver();
        byte[] packet = udp(CLIENT4, SENTINEL4, query(1, "a.org", DnsQuery.TYPE_A, 0));

        StubResult r = stub.handleQuery(ByteBuffer.wrap(packet), 4, packet.length, 0);

        assertThat(r).isEqualTo(new StubResult.Dropped(StubCounter.NOT_A_DNS_PACKET));
    }

    @Test
    void dnsMessageShorterThanAHeaderIsDropped() {
        StubResolver stub = resolver();

        StubResult r = send(stub, udp(CLIENT4, SENTINEL4, new byte[] {1, 2, 3}), 0);

        assertThat(r).isEqualTo(new StubResult.Dropped(StubCounter.MALFORMED_DROPPED));
    }

    @Test
    void aResponseSentToASentinelIsDropped() {
        StubResolver stub = resolver();
        byte[] message = query(1, "a.org", DnsQuery.TYPE_A, 0);
        message[2] |= (byte) 0x80;

        StubResult r = send(stub, udp(CLIENT4, SENTINEL4, message), 0);

        assertThat(r).isEqualTo(new StubResult.Dropped(StubCounter.MALFORMED_DROPPED));
    }

    @Test
    void queryWithAReadableHeaderButABrokenQuestionGetsFormerrWithItsId() {
        StubResolver stub = resolver();
        byte[] message = query(0x7777, "a.org", DnsQuery.TYPE_A, 0);
        byte[] cut = java.util.Arrays.copyOf(message, message.length - 3);

        byte[] dns = dnsOf(send(stub, udp(CLIENT4, SENTINEL4, cut), 0));

        assertThat(id(dns)).isEqualTo(0x7777);
        assertThat(rcode(dns)).isEqualTo(1);
        assertThat(stub.count(StubCounter.MALFORMED_ANSWERED)).isEqualTo(1);
    }

    @Test
    void queryWithTwoQuestionsGetsFormerr() {
        StubResolver stub = resolver();
        byte[] message = query(5, "a.org", DnsQuery.TYPE_A, 0);
        message[5] = 2;

        assertThat(rcode(dnsOf(send(stub, udp(CLIENT4, SENTINEL4, message), 0)))).isEqualTo(1);
    }

    @Test
    void anotherOpcodeGetsNotimp() {
        StubResolver stub = resolver();
        byte[] message = query(5, "a.org", DnsQuery.TYPE_A, 0);
        message[2] |= (byte) (2 << 3);

        assertThat(rcode(dnsOf(send(stub, udp(CLIENT4, SENTINEL4, message), 0)))).isEqualTo(4);
    }

    @Test
    void isQueryAcceptsOnlyUdpToPort53OfAnAssignedSentinel() {
        StubResolver stub = resolver();
        byte[] dns = query(1, "a.org", DnsQuery.TYPE_A, 0);
        zonegate.packet.PacketParser parser = new zonegate.packet.PacketParser();

        assertThat(stub.isQuery(parser.parseOrNull(ByteBuffer.wrap(udp(CLIENT4, SENTINEL4, dns)), 0,
                udp(CLIENT4, SENTINEL4, dns).length))).isTrue();
        byte[] v6 = udp(StubFixture.CLIENT6, StubFixture.SENTINEL6, dns);
        assertThat(stub.isQuery(parser.parseOrNull(ByteBuffer.wrap(v6), 0, v6.length))).isTrue();
        byte[] otherPort = udp(CLIENT4, 1000, SENTINEL4, 5353, dns);
        assertThat(stub.isQuery(parser.parseOrNull(ByteBuffer.wrap(otherPort), 0, otherPort.length))).isFalse();
        byte[] unassigned = udp(CLIENT4, "100.100.111.7", dns);
        assertThat(stub.isQuery(parser.parseOrNull(ByteBuffer.wrap(unassigned), 0, unassigned.length))).isFalse();
        byte[] elsewhere = udp(CLIENT4, "192.0.2.53", dns);
        assertThat(stub.isQuery(parser.parseOrNull(ByteBuffer.wrap(elsewhere), 0, elsewhere.length))).isFalse();
    }
}
