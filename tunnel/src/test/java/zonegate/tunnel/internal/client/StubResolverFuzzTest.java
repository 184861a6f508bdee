package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;
import zonegate.packet.PacketParser;
import zonegate.tunnel.DnsRecords;
import zonegate.tunnel.IpStack;

/**
 * Arbitrary bytes as the IP packet from the TUN device, as the DNS message inside a valid UDP packet to a
 * sentinel, and as the upstream's response (with the query's id patched in, so the relay path is reached)
 * never make the resolver throw, and every answer is a valid IP/UDP packet from a sentinel's port 53. Input
 * layout: 2 bytes of packet length, the packet, then the response. Replays the seed corpus under
 * {@code src/test/resources/zonegate/tunnel/internal/client/StubResolverFuzzTestInputs/handlesArbitraryPacketsAndResponses/};
 * run with {@code JAZZER_FUZZ=1} to fuzz.
 */
class StubResolverFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void handlesArbitraryPacketsAndResponses(byte[] data) {
        StubResolver stub = StubFixture.resolver(StubFixture.dns("r1", "**.example.com"),
                StubFixture.dns("r2", "app.example.com", IpStack.IPV4_ONLY), StubFixture.dns("r3", "*.corp"));
        stub.seed(new DnsRecords(java.util.Map.of("seeded.example.com", StubResolverProxyTest.slot(5))));
        int packetBytes = data.length < 2 ? 0 : Math.min(data.length - 2, (data[0] & 0xFF) << 8 | data[1] & 0xFF);
        byte[] packet = Arrays.copyOfRange(data, Math.min(2, data.length), Math.min(2, data.length) + packetBytes);
        byte[] response = Arrays.copyOfRange(data, Math.min(data.length, 2 + packetBytes), data.length);
        long nowNs = 0;

        handle(stub, stub.handleQuery(ByteBuffer.wrap(packet), 0, packet.length, nowNs++), packet, response, nowNs);
        if (packet.length <= 1400) {
            byte[] wrapped = StubFixture.udp(StubFixture.CLIENT4, StubFixture.SENTINEL4, packet);
            handle(stub, stub.handleQuery(ByteBuffer.wrap(wrapped), 0, wrapped.length, nowNs++), packet, response,
                    nowNs);
            byte[] wrapped6 = StubFixture.udp(StubFixture.CLIENT6, StubFixture.SENTINEL6, packet);
            handle(stub, stub.handleQuery(ByteBuffer.wrap(wrapped6), 0, wrapped6.length, nowNs++), packet, response,
                    nowNs);
        }
        stub.handleTimeout(StubResolver.DEFAULT_UPSTREAM_TIMEOUT_NS + nowNs);
        assertThat(stub.inFlight()).isZero();
    }

    private static void handle(StubResolver stub, StubResult result, byte[] query, byte[] response, long nowNs) {
        switch (result) {
            case StubResult.Answer(byte[] ip) -> checkAnswer(ip);
            case StubResult.Dropped(StubCounter reason) -> assertThat(reason).isNotNull();
            case StubResult.Forward(long queryId, var upstream, byte[] message) -> {
                byte[] patched = response.clone();
                if (patched.length >= 2 && message.length >= 2) {
                    patched[0] = message[0];
                    patched[1] = message[1];
                }
                StubResult r = stub.handleUpstreamResponse(queryId, ByteBuffer.wrap(patched), nowNs);
                assertThat(r).isInstanceOf(StubResult.Answer.class);
                checkAnswer(((StubResult.Answer) r).ipPacket());
                assertThat(stub.handleUpstreamResponse(queryId, ByteBuffer.wrap(response), nowNs))
                        .isInstanceOf(StubResult.Dropped.class);
            }
        }
    }

    private static void checkAnswer(byte[] ip) {
        IpPacket p = new PacketParser().parseOrNull(ByteBuffer.wrap(ip), 0, ip.length);
        assertThat(p).as("answer parses").isNotNull();
        assertThat(p.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(p.hasValidChecksums()).isTrue();
        assertThat(p.sourcePort()).isEqualTo(53);
        boolean fromSentinel = p.version() == 4
                ? (p.ipv4().source() & 0xFFFF_FF00) == Sentinels.NET4
                : p.ipv6().sourceHigh() == Sentinels.HIGH6 && (p.ipv6().sourceLow() & ~0xFFL) == Sentinels.LOW6_BASE;
        assertThat(fromSentinel).as("answer comes from a sentinel").isTrue();
        assertThat(p.udp().payloadLengthBytes()).isBetween(12, 1212);
    }
}
