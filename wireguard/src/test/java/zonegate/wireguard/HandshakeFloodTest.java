package zonegate.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.wireguard.FloodedGateway.MS;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import zonegate.wireguard.FloodedGateway.Mode;

/**
 * Handshake floods against a gateway (issue 16, item 1): bad mac1 is not load, a cookie-holding
 * source reaches the Diffie-Hellman at most burst + rate times a second, and a new honest client
 * gets its session within 6 s while 200,000 valid-mac1 initiations a second keep coming.
 */
class HandshakeFloodTest {
    private static final int FLOOD_PER_SECOND = 200_000;
    private static final long CONNECT_LIMIT_NS = 6_000 * MS;

    @Test
    void initiationsWithABadMac1DoNotCountAsLoad() {
        FloodedGateway net = new FloodedGateway(Mode.MANY_PORTS, FLOOD_PER_SECOND);
        byte[] forged = new byte[148];
        forged[0] = 1;
        ByteBuffer out = ByteBuffer.allocate(256);
        TunnelResult r = new TunnelResult();
        for (int i = 0; i < 5_000; i++) {
            net.gateway.handleDatagram(new InetSocketAddress("198.51.100.9", 1024 + i), ByteBuffer.wrap(forged),
                    out.clear(), net.nowNs, r);
        }

        assertThat(net.gateway.dropCount(DropReason.BAD_MAC1)).isEqualTo(5_000);
        assertThat(net.gateway.underLoad(net.nowNs)).isFalse();
    }

    @Test
    void floodFromOneCookieHoldingSourceReachesTheDiffieHellmanAtMostBurstPlusRateTimesASecond() {
        FloodedGateway net = new FloodedGateway(Mode.ONE_SOURCE_WITH_COOKIE, FLOOD_PER_SECOND);
        net.runFor(1_000 * MS);
        assertThat(net.floodHasCookie()).as("the flooder obtained and uses a cookie").isTrue();
        long admittedBefore = net.gateway.handshakesAdmitted();
        long limitedBefore = net.gateway.dropCount(DropReason.SOURCE_RATE_LIMITED);
        long lostBefore = net.lostAtQueue;

        net.runFor(2_000 * MS);

        HandshakeRateLimit limit = WireGuardConfig.DEFAULT.handshakeRateLimit();
        assertThat(net.gateway.handshakesAdmitted() - admittedBefore).isLessThanOrEqualTo(limit.burst() + 2L * limit.perSecond());
        assertThat(net.gateway.dropCount(DropReason.SOURCE_RATE_LIMITED) - limitedBefore)
                .as("the rest of 2 s of flood, dropped before any DH").isGreaterThan(390_000);
        assertThat(net.lostAtQueue - lostBefore).as("the state thread keeps up").isZero();
    }

    @Test
    void ipv6SourcesShareOneBucketPerSlash64() {
        FloodedGateway net = new FloodedGateway(Mode.ONE_SOURCE_WITH_COOKIE, FLOOD_PER_SECOND);
        byte[] secret = new byte[32];
        net.gateway.cookieResponder().setSecret(secret, net.nowNs);
        net.gateway.setUnderLoad(true);
        ByteBuffer out = ByteBuffer.allocate(256);
        TunnelResult r = new TunnelResult();
        for (int host = 1; host <= 8; host++) {
            InetSocketAddress from = new InetSocketAddress("2001:db8:1:2::" + host, 40_000 + host);
            net.gateway.handleDatagram(from, ByteBuffer.wrap(net.floodWithMac2(secret, from)), out.clear(), net.nowNs, r);
        }
        InetSocketAddress otherPrefix = new InetSocketAddress("2001:db8:1:3::1", 40_000);
        net.gateway.handleDatagram(otherPrefix, ByteBuffer.wrap(net.floodWithMac2(secret, otherPrefix)), out.clear(),
                net.nowNs, r);

        assertThat(net.gateway.handshakesAdmitted()).as("burst of the /64, then the other /64").isEqualTo(5 + 1);
        assertThat(net.gateway.dropCount(DropReason.SOURCE_RATE_LIMITED)).isEqualTo(3);
        assertThat(net.gateway.rateLimitedSources()).isEqualTo(2);
    }

    @Test
    void newClientConnectsWithinSixSecondsDuringAFloodFromManyPorts() {
        FloodedGateway net = new FloodedGateway(Mode.MANY_PORTS, FLOOD_PER_SECOND);
        net.runFor(500 * MS);
        assertThat(net.gateway.underLoad(net.nowNs)).isTrue();
        long start = net.nowNs;
        long lostBefore = net.lostAtQueue;

        net.clientSends();

        assertThat(net.runUntilClientConnected(CONNECT_LIMIT_NS)).as("connected within 6 s").isTrue();
        assertThat(net.nowNs - start).as("one cookie round trip, then the retransmit after ~5 s").isGreaterThan(5_000 * MS);
        assertThat(net.lostAtQueue - lostBefore).as("the state thread keeps up").isZero();
        assertThat(net.gateway.dropCount(DropReason.COOKIE_REPLY_LIMITED)).isGreaterThan(900_000);
    }

    @Test
    void newClientConnectsWithinSixSecondsDuringAFloodFromOneCookieHoldingSource() {
        FloodedGateway net = new FloodedGateway(Mode.ONE_SOURCE_WITH_COOKIE, FLOOD_PER_SECOND);
        net.runFor(500 * MS);
        assertThat(net.floodHasCookie()).isTrue();
        assertThat(net.gateway.underLoad(net.nowNs)).isTrue();
        long start = net.nowNs;

        net.clientSends();

        assertThat(net.runUntilClientConnected(CONNECT_LIMIT_NS)).as("connected within 6 s").isTrue();
        assertThat(net.clientDatagramsLost).isZero();
    }
}
