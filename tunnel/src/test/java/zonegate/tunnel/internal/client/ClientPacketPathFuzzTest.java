package zonegate.tunnel.internal.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.List;
import zonegate.filter.ResourceId;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;
import zonegate.tunnel.ClientResource;

/**
 * Arbitrary bytes, cut into packets (each preceded by one length byte), through the client's per-packet
 * structures: the pending buffer, the sticky flow table, the routes and the filters. Nothing throws and
 * every bound holds. In regression mode (the default) this replays the seed corpus under
 * {@code src/test/resources/zonegate/tunnel/internal/client/ClientPacketPathFuzzTestInputs/handlesArbitraryPacketsWithoutThrowing/};
 * run with {@code JAZZER_FUZZ=1} to fuzz.
 */
class ClientPacketPathFuzzTest {
    private static final int PENDING = 8;
    private static final int FLOWS = 16;

    @FuzzTest(maxDuration = "30s")
    void handlesArbitraryPacketsWithoutThrowing(byte[] data) {
        PendingPackets pending = new PendingPackets(PENDING);
        FlowGateways flows = new FlowGateways(FLOWS);
        ClientRoutes routes = new ClientRoutes();
        routes.setResources(List.of(TestResources.cidr("office", "10.0.0.0/8"), TestResources.cidr("box", "10.0.0.5/32"),
                TestResources.cidr("v6", "2001:db8::/32"), TestResources.internet("inet"),
                TestResources.dns("git", "git.example.com")));
        routes.setInternetEnabled(data.length % 2 == 0);
        PacketParser parser = new PacketParser();
        ByteBuffer buffer = ByteBuffer.wrap(data);
        long nowNs = 0;
        int offered = 0;
        for (int at = 0; at < data.length; ) {
            int length = Math.min(data[at] & 0xFF, data.length - at - 1);
            int start = at + 1;
            at = start + length;
            offered++;
            pending.offer(buffer, start, length);
            nowNs += (length + 1) * 1_000_000_000L;
            IpPacket packet = length == 0 ? null : parser.parseOrNull(buffer, start, length);
            if (packet == null) {
                continue;
            }
            ClientResource resource = packet.version() == 4 ? routes.routeV4(packet.ipv4().destination())
                    : routes.routeV6(packet.ipv6().destinationHigh(), packet.ipv6().destinationLow());
            if (resource != null) {
                ClientFilters.permits(resource.filters(), packet.protocol(), packet.destinationPort());
            }
            if (flows.lookup(packet, nowNs) == null) {
                flows.put(packet, "gw-" + (length % 3), ResourceId.of("r" + (length % 5)), nowNs);
            }
            if (length % 7 == 0) {
                flows.removeGateway("gw-1");
            }
            check(flows.size() <= FLOWS, "flow table over its bound");
        }
        check(pending.size() <= Math.min(PENDING, offered), "pending buffer over its bound");
        int[] drained = {0};
        pending.drain(b -> drained[0]++);
        check(drained[0] <= PENDING && pending.size() == 0, "drain did not empty the buffer");
        routes.tunRoutes();
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
