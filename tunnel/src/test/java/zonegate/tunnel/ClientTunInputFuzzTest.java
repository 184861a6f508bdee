package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import zonegate.filter.Cidr;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.ice.IceCredentials;
import zonegate.node.NodeConfig;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.wireguard.PrivateKey;

/**
 * Whatever the TUN device hands the client, it never trips over itself ({@link ClientCounter#INTERNAL_ERROR}
 * stays 0) and every packet it writes back to the device parses. The inputs mix raw bytes with packets
 * from the client's own address to the destinations that take different paths: a CIDR resource (with and
 * without an authorisation), a filtered port, a DNS resource's proxy address, the sentinel (with arbitrary
 * DNS payloads), the Internet resource and addresses it never covers. Replays the corpus under
 * {@code src/test/resources/zonegate/tunnel/ClientTunInputFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ClientTunInputFuzzTest {
    private static final String OWN4 = "100.64.0.7";
    private static final String[] DESTINATIONS = {"10.0.0.5", "10.1.0.1", "100.96.0.1", "100.96.0.5",
        "100.100.111.1", "8.8.8.8", "192.168.1.1", "100.64.0.1", "224.0.0.251", "100.100.111.9"};
    private static final String DNS_RESOURCE = "00000000-0000-0000-0000-0000000000d1";

    @FuzzTest(maxDuration = "30s")
    void handlesArbitraryTunInputWithoutBugs(FuzzedDataProvider data) {
        long nowNs = 1_000_000_000_000L;
        ClientState client = client(nowNs);
        int inputs = 0;
        while (data.remainingBytes() > 0 && inputs++ < 64) {
            nowNs += data.consumeInt(0, 3_000) * 1_000_000L;
            byte[] packet = switch (data.consumeInt(0, 5)) {
                case 0 -> data.consumeBytes(data.consumeInt(0, 1400));
                case 1 -> Packets.udp(OWN4, data.consumeInt(1, 65535), pick(data), data.consumeInt(0, 65535),
                        data.consumeBytes(data.consumeInt(0, 600)));
                case 2 -> Packets.tcpSyn(OWN4, data.consumeInt(1, 65535), pick(data), data.consumeInt(0, 65535));
                case 3 -> Packets.echoRequest(OWN4, pick(data), data.consumeInt(0, 65535), data.consumeInt(0, 65535));
                case 4 -> Packets.udp(OWN4, data.consumeInt(1, 65535), "100.100.111.1", 53,
                        data.consumeBytes(data.consumeInt(0, 600)));
                default -> {
                    client.handleTimeout(nowNs);
                    yield null;
                }
            };
            if (packet != null) {
                client.handleDeviceInput(ByteBuffer.wrap(packet), nowNs);
            }
            drain(client);
        }
        assertThat(client.count(ClientCounter.INTERNAL_ERROR)).isZero();
    }

    private static String pick(FuzzedDataProvider data) {
        return DESTINATIONS[data.consumeInt(0, DESTINATIONS.length - 1)];
    }

    private static void drain(ClientState client) {
        for (PooledBuffer p; (p = client.pollPacket()) != null; ) {
            ByteBuffer b = p.buffer();
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            p.pool().release(p);
            assertThat(Packets.parse(bytes)).as("a packet for the TUN device").isNotNull();
        }
        for (Transmit t; (t = client.pollTransmit()) != null; ) {
            t.buffer().pool().release(t.buffer());
        }
        while (client.pollEvent() != null) {
            // intents, DNS queries, latest values: nothing to answer here
        }
    }

    private static ClientState client(long nowNs) {
        SplittableRandom random = new SplittableRandom(7);
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        ClientState client = new ClientState(NodeConfig.client(), PrivateKey.ofOwned(raw),
                List.of(new InetSocketAddress(InetAddress.ofLiteral("198.51.100.7"), 52625)),
                InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000L)), new SecureRandom(new byte[] {1}),
                random.split(), new BufferPool(2048, 256, false), DnsRecords.EMPTY, nowNs);
        ResourceId office = ResourceId.of("office");
        client.init(TunnelAddresses.of(OWN4, "fd00:2021:1111::7"), List.of(
                new ClientResource(new Resource.CidrRange(office, Cidr.parse("10.0.0.0/24")), "office", "hq",
                        List.of(new Filter.Tcp(22, 443), new Filter.Icmp()), IpStack.DUAL),
                new ClientResource(new Resource.CidrRange(ResourceId.of("lab"), Cidr.parse("10.1.0.0/16")), "lab",
                        "lab", List.of(), IpStack.DUAL),
                new ClientResource(new Resource.Dns(ResourceId.of(DNS_RESOURCE), DnsPattern.of("*.example.com")),
                        "apps", "hq", List.of(), IpStack.DUAL),
                new ClientResource(new Resource.Internet(ResourceId.of("internet")), "internet", "hq", List.of(),
                        IpStack.DUAL)),
                List.of(), List.of(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.53"), 53)), nowNs);
        client.setInternetResourceEnabled(true, nowNs);
        byte[] gatewayRaw = new byte[32];
        random.nextBytes(gatewayRaw);
        try (PrivateKey gateway = PrivateKey.ofOwned(gatewayRaw)) {
            client.authorizationCreated(new GatewayAccess(office, "gw-1", gateway.publicKey(),
                    TunnelAddresses.of("100.64.0.1", "fd00:2021:1111::1"), null, IceCredentials.random(random),
                    IceCredentials.random(random)), nowNs);
        }
        // A query so the DNS resource has proxy addresses.
        byte[] query = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a', 'p', 'p', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
            3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
        client.handleDeviceInput(ByteBuffer.wrap(Packets.udp(OWN4, 5353, "100.100.111.1", 53, query)), nowNs);
        drain(client);
        return client;
    }
}
