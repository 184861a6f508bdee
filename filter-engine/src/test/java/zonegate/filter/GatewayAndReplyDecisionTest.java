package zonegate.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.filter.Fixtures.allow;
import static zonegate.filter.Fixtures.cidr;
import static zonegate.filter.Fixtures.v4;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;
import zonegate.packet.UdpWriter;

/** The gateway's own services, replies to the client's flows and the text a denial is logged with. */
class GatewayAndReplyDecisionTest {
    private static final String GATEWAY = "100.64.0.1";
    private final Fixtures f = new Fixtures();

    @Test
    void aPortTheGatewayDoesNotOfferIsDeniedNamingProtocolPortAndRule() {
        Decision dns = f.client.decideGateway(udp(Fixtures.CLIENT_V4, 40000, GATEWAY, 53), GatewayServices.DEFAULT,
                0, new Decision());
        Decision metrics = f.client.decideGateway(udp(Fixtures.CLIENT_V4, 40000, GATEWAY, 9100),
                GatewayServices.DEFAULT, 0, f.decision);

        assertThat(dns.reason()).isEqualTo("allowed to the gateway");
        assertThat(metrics.verdict()).isEqualTo(Verdict.GATEWAY_FILTERED);
        assertThat(metrics.icmpError()).isNotNull();
        assertThat(metrics.reason())
                .isEqualTo("UDP port 9100 to the gateway's address 100.64.0.1 not allowed by gateway.allowToGateway");
        assertThat(f.client.decideGateway(udp(Fixtures.CLIENT_V4, 40000, GATEWAY, 9100),
                GatewayServices.of(List.of(new Filter.Udp(9000, 9999))), 0, f.decision).isAllowed()).isTrue();
    }

    @Test
    void aReplyIsAdmittedOnlyWhileTheFlowsResourceStillPermitsIt() {
        f.set(allow(cidr("lab", "10.99.0.0/16"), new Filter.Udp(53, 53)));
        f.client.decide(udp(Fixtures.CLIENT_V4, 5353, "10.99.0.5", 53), 0, f.decision);
        IpPacket reply = udp("10.99.0.5", 53, Fixtures.CLIENT_V4, 5353);

        boolean before = f.client.admitsInbound(reply, 0);
        f.client.changeFilters(ResourceId.of("lab"), List.of(new Filter.Udp(54, 54)), 0);

        assertThat(before).isTrue();
        assertThat(f.client.admitsInbound(reply, 0)).isFalse();
        assertThat(f.client.admitsInbound(udp("10.99.0.5", 53, "100.64.0.8", 5353), 0)).isFalse();
    }

    @Test
    void aNat64DestinationIsDecidedAndNamedByItsIpv6Address() {
        f.set(allow(Fixtures.internet("internet")));
        byte[] bytes = new byte[64];
        ByteBuffer out = ByteBuffer.wrap(bytes);
        Cidr source = Fixtures.v6(Fixtures.CLIENT_V6);
        Cidr destination = Fixtures.v6("64:ff9b::a00:5");
        int n = UdpWriter.writeIpv6(source.high(), source.low(), 40000, destination.high(), destination.low(), 53,
                ByteBuffer.allocate(4), 0, 4, out, 0, bytes.length);

        Decision d = f.client.decideNat64(new PacketParser().parseOrNull(out, 0, n), v4("10.0.0.5"), 0, f.decision);

        assertThat(d.verdict()).isEqualTo(Verdict.NO_RESOURCE);
        assertThat(d.reason()).isEqualTo("no resource for 64:ff9b::a00:5");
    }

    private static IpPacket udp(String source, int sourcePort, String destination, int destinationPort) {
        byte[] bytes = new byte[64];
        ByteBuffer out = ByteBuffer.wrap(bytes);
        int n = UdpWriter.writeIpv4(v4(source), sourcePort, v4(destination), destinationPort, ByteBuffer.allocate(4), 0,
                4, out, 0, bytes.length);
        return new PacketParser().parseOrNull(out, 0, n);
    }
}
