package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.internal.client.TestPackets.echoRequest;
import static zonegate.tunnel.internal.client.TestPackets.parse;
import static zonegate.tunnel.internal.client.TestPackets.tcp;
import static zonegate.tunnel.internal.client.TestPackets.udp;

import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import zonegate.filter.ResourceId;
import zonegate.packet.IpPacket;
import zonegate.packet.TcpView;

class FlowGatewaysTest {
    private static final long SECOND_NS = 1_000_000_000L;
    private static final ResourceId WEB = ResourceId.of("web");
    private static final ResourceId DB = ResourceId.of("db");
    private static final String CLIENT = "100.64.0.2";
    private static final String CLIENT6 = "fd00:2021:1111::2";

    private final FlowGateways flows = new FlowGateways(1_024);

    @Test
    void aFlowKeepsTheGatewayItWasGiven() {
        flows.put(parse(tcp(CLIENT, 40_000, "10.0.0.5", 443, TcpView.SYN, 0)), "gw-1", WEB, 0);

        FlowGateways.Sticky later = flows.lookup(parse(tcp(CLIENT, 40_000, "10.0.0.5", 443, TcpView.ACK, 100)), SECOND_NS);

        assertThat(later).isEqualTo(new FlowGateways.Sticky("gw-1", WEB));
    }

    @Test
    void anotherPortIsAnotherFlow() {
        flows.put(parse(tcp(CLIENT, 40_000, "10.0.0.5", 443, TcpView.SYN, 0)), "gw-1", WEB, 0);

        assertThat(flows.lookup(parse(tcp(CLIENT, 40_001, "10.0.0.5", 443, TcpView.SYN, 0)), 0)).isNull();
        assertThat(flows.lookup(parse(tcp(CLIENT, 40_000, "10.0.0.5", 444, TcpView.SYN, 0)), 0)).isNull();
        assertThat(flows.lookup(parse(udp(CLIENT, 40_000, "10.0.0.5", 443, 4)), 0)).isNull();
        assertThat(flows.lookup(parse(tcp(CLIENT, 40_000, "10.0.0.6", 443, TcpView.SYN, 0)), 0)).isNull();
    }

    @Test
    void icmpEchoFlowsAreKeyedByIdentifier() {
        flows.put(parse(echoRequest(CLIENT, "10.0.0.5", 7, 1)), "gw-1", WEB, 0);

        FlowGateways.Sticky sameId = flows.lookup(parse(echoRequest(CLIENT, "10.0.0.5", 7, 2)), 0);
        FlowGateways.Sticky otherId = flows.lookup(parse(echoRequest(CLIENT, "10.0.0.5", 8, 1)), 0);

        assertThat(sameId).isNotNull();
        assertThat(otherId).isNull();
    }

    @Test
    void ipv6FlowsAreKeptApartFromIpv4() {
        flows.put(parse(udp(CLIENT6, 5000, "2001:db8::5", 53, 4)), "gw-6", DB, 0);
        flows.put(parse(udp(CLIENT, 5000, "0.0.0.5", 53, 4)), "gw-4", WEB, 0);

        FlowGateways.Sticky v6 = flows.lookup(parse(udp(CLIENT6, 5000, "2001:db8::5", 53, 9)), 0);
        FlowGateways.Sticky mappedLookalike = flows.lookup(parse(udp(CLIENT6, 5000, "::5", 53, 4)), 0);

        assertThat(v6).isEqualTo(new FlowGateways.Sticky("gw-6", DB));
        assertThat(mappedLookalike).isNull();
        assertThat(flows.lookup(parse(echoRequest(CLIENT6, "2001:db8::5", 1, 1)), 0)).isNull();
    }

    @Test
    void aFlowIdleForTwoMinutesIsForgotten() {
        IpPacket packet = parse(udp(CLIENT, 5000, "10.0.0.5", 53, 4));
        flows.put(packet, "gw-1", WEB, 0);

        FlowGateways.Sticky justBefore = flows.lookup(packet, FlowGateways.IDLE_TIMEOUT_NS - 1);
        FlowGateways.Sticky afterIdle = flows.lookup(packet, 2 * FlowGateways.IDLE_TIMEOUT_NS - 1);

        assertThat(justBefore).isNotNull();
        assertThat(afterIdle).isNull();
        assertThat(flows.expired()).isEqualTo(1);
        assertThat(flows.size()).isZero();
    }

    @Test
    void aLookupHitRefreshesTheFlow() {
        IpPacket packet = parse(udp(CLIENT, 5000, "10.0.0.5", 53, 4));
        flows.put(packet, "gw-1", WEB, 0);

        for (long t = 60 * SECOND_NS; t <= 600 * SECOND_NS; t += 60 * SECOND_NS) {
            assertThat(flows.lookup(packet, t)).as("at %d s", t / SECOND_NS).isNotNull();
        }
    }

    @Test
    void expireRemovesOnlyIdleFlows() {
        flows.put(parse(udp(CLIENT, 1, "10.0.0.5", 53, 4)), "gw-1", WEB, 0);
        flows.put(parse(udp(CLIENT, 2, "10.0.0.5", 53, 4)), "gw-1", WEB, 60 * SECOND_NS);

        int removed = flows.expire(FlowGateways.IDLE_TIMEOUT_NS);

        assertThat(removed).isEqualTo(1);
        assertThat(flows.size()).isEqualTo(1);
        assertThat(flows.nextExpiryNs()).isEqualTo(60 * SECOND_NS + FlowGateways.IDLE_TIMEOUT_NS);
    }

    @Test
    void whenFullTheLeastRecentlyUsedFlowIsEvictedAndCounted() {
        FlowGateways small = new FlowGateways(3);
        IpPacket a = parse(udp(CLIENT, 1, "10.0.0.5", 53, 4));
        IpPacket b = parse(udp(CLIENT, 2, "10.0.0.5", 53, 4));
        IpPacket c = parse(udp(CLIENT, 3, "10.0.0.5", 53, 4));
        IpPacket d = parse(udp(CLIENT, 4, "10.0.0.5", 53, 4));
        small.put(a, "gw", WEB, 0);
        small.put(b, "gw", WEB, 1);
        small.put(c, "gw", WEB, 2);
        small.lookup(a, 3);

        small.put(d, "gw", WEB, 4);

        assertThat(small.evicted()).isEqualTo(1);
        assertThat(small.size()).isEqualTo(3);
        assertThat(small.lookup(b, 5)).isNull();
        assertThat(small.lookup(a, 5)).isNotNull();
        assertThat(small.lookup(c, 5)).isNotNull();
        assertThat(small.lookup(d, 5)).isNotNull();
    }

    @Test
    void anIdleFlowPushedOutIsCountedAsExpiredNotEvicted() {
        FlowGateways small = new FlowGateways(1);
        small.put(parse(udp(CLIENT, 1, "10.0.0.5", 53, 4)), "gw", WEB, 0);

        small.put(parse(udp(CLIENT, 2, "10.0.0.5", 53, 4)), "gw", WEB, FlowGateways.IDLE_TIMEOUT_NS);

        assertThat(small.evicted()).isZero();
        assertThat(small.expired()).isEqualTo(1);
    }

    @Test
    void putReplacesTheGatewayOfAKnownFlow() {
        IpPacket packet = parse(udp(CLIENT, 1, "10.0.0.5", 53, 4));
        flows.put(packet, "gw-1", WEB, 0);

        flows.put(packet, "gw-2", DB, 1);

        assertThat(flows.lookup(packet, 2)).isEqualTo(new FlowGateways.Sticky("gw-2", DB));
        assertThat(flows.size()).isEqualTo(1);
    }

    @Test
    void removeGatewayForgetsOnlyItsFlows() {
        IpPacket one = parse(udp(CLIENT, 1, "10.0.0.5", 53, 4));
        IpPacket two = parse(udp(CLIENT, 2, "10.0.0.5", 53, 4));
        IpPacket three = parse(udp(CLIENT6, 3, "2001:db8::1", 53, 4));
        flows.put(one, "gw-1", WEB, 0);
        flows.put(two, "gw-2", WEB, 0);
        flows.put(three, "gw-1", DB, 0);

        int removed = flows.removeGateway("gw-1");

        assertThat(removed).isEqualTo(2);
        assertThat(flows.lookup(one, 1)).isNull();
        assertThat(flows.lookup(three, 1)).isNull();
        assertThat(flows.lookup(two, 1)).isNotNull();
    }

    @Test
    void removeResourceForgetsOnlyTheFlowsRoutedToIt() {
        IpPacket one = parse(udp(CLIENT, 1, "10.0.0.5", 53, 4));
        IpPacket two = parse(udp(CLIENT, 2, "10.0.0.5", 53, 4));
        flows.put(one, "gw-1", WEB, 0);
        flows.put(two, "gw-1", DB, 0);

        int removed = flows.removeResource(WEB);

        assertThat(removed).isEqualTo(1);
        assertThat(flows.lookup(one, 1)).isNull();
        assertThat(flows.lookup(two, 1)).isNotNull();
    }

    @Test
    void clearForgetsEverything() {
        flows.put(parse(udp(CLIENT, 1, "10.0.0.5", 53, 4)), "gw-1", WEB, 0);

        flows.clear();

        assertThat(flows.size()).isZero();
        assertThat(flows.lookup(parse(udp(CLIENT, 1, "10.0.0.5", 53, 4)), 0)).isNull();
        assertThat(flows.nextExpiryNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void agreesWithAnLruModelThroughRandomOperations() {
        agreesWithTheModel(64, 200, 10, 3 * SECOND_NS, 11L);
    }

    @Test
    void agreesWithAnLruModelWhileItGrowsToItsBound() {
        FlowGateways grown = agreesWithTheModel(600, 1_500, 0, SECOND_NS / 100, 12L);

        assertThat(grown.capacity()).isEqualTo(600);
    }

    @Test
    void itStartsSmallAndGrowsOnlyWhenFull() {
        FlowGateways table = new FlowGateways(65_536);
        assertThat(table.capacity()).isEqualTo(FlowGateways.INITIAL_CAPACITY);
        int flowCount = FlowGateways.INITIAL_CAPACITY * 4 + 1;
        for (int i = 0; i < flowCount; i++) {
            table.put(parse(udp(CLIENT, 1 + i, "10.0.0.5", 53, 4)), "gw-" + (i % 3), WEB, i);
            assertThat(table.capacity()).isGreaterThanOrEqualTo(table.size());
        }

        assertThat(table.capacity()).isEqualTo(FlowGateways.INITIAL_CAPACITY * 8);
        assertThat(table.evicted()).isZero();
        for (int i = 0; i < flowCount; i++) {
            assertThat(table.lookup(parse(udp(CLIENT, 1 + i, "10.0.0.5", 53, 9)), flowCount))
                    .isEqualTo(new FlowGateways.Sticky("gw-" + (i % 3), WEB));
        }
    }

    @Test
    void theLeastRecentlyUsedOrderSurvivesGrowth() {
        int bound = FlowGateways.INITIAL_CAPACITY + 1;
        FlowGateways table = new FlowGateways(bound);
        IpPacket first = parse(udp(CLIENT, 1, "10.0.0.5", 53, 4));
        IpPacket second = parse(udp(CLIENT, 2, "10.0.0.5", 53, 4));
        table.put(first, "gw-1", WEB, 0);
        table.put(second, "gw-1", WEB, 1);
        for (int i = 2; i < FlowGateways.INITIAL_CAPACITY; i++) {
            table.put(parse(udp(CLIENT, 1 + i, "10.0.0.5", 53, 4)), "gw-1", WEB, i);
        }
        table.lookup(first, 1_000);

        table.put(parse(udp(CLIENT, 60_000, "10.0.0.5", 53, 4)), "gw-1", WEB, 1_001);
        table.put(parse(udp(CLIENT, 60_001, "10.0.0.5", 53, 4)), "gw-1", WEB, 1_002);

        assertThat(table.capacity()).isEqualTo(bound);
        assertThat(table.evicted()).isEqualTo(1);
        assertThat(table.lookup(second, 1_003)).as("the least recently used, evicted").isNull();
        assertThat(table.lookup(first, 1_003)).as("used before the growth").isNotNull();
    }

    /**
     * Random puts, lookups and gateway removals ({@code removePercent} of the operations) on {@code flows}
     * distinct flows against the model, with a time that moves up to {@code maxStepNs} a step (so some flows
     * go idle).
     */
    private static FlowGateways agreesWithTheModel(int capacity, int flows, int removePercent, long maxStepNs,
            long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        FlowGateways table = new FlowGateways(capacity);
        LruModel model = new LruModel(capacity);
        IpPacket[] packets = new IpPacket[flows];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = i % 2 == 0 ? parse(udp(CLIENT, 1000 + i, "10.0.0." + (i % 7), 53, 4))
                    : parse(tcp(CLIENT6, 1000 + i, "2001:db8::" + (i % 5), 443, TcpView.ACK, 0));
        }
        long nowNs = 0;
        for (int step = 0; step < 50_000; step++) {
            nowNs += random.nextLong(maxStepNs);
            int flow = random.nextInt(packets.length);
            int op = random.nextInt(100);
            if (op < 40) {
                String gateway = "gw-" + random.nextInt(4);
                table.put(packets[flow], gateway, WEB, nowNs);
                model.put(flow, gateway, nowNs);
            } else if (op < 40 + removePercent) {
                String gateway = "gw-" + random.nextInt(4);
                table.removeGateway(gateway);
                model.removeGateway(gateway);
            } else {
                FlowGateways.Sticky actual = table.lookup(packets[flow], nowNs);
                String expected = model.lookup(flow, nowNs);
                assertThat(actual == null ? null : actual.gatewayId()).as("step %d flow %d", step, flow)
                        .isEqualTo(expected);
            }
            assertThat(table.size()).isEqualTo(model.map.size()).isLessThanOrEqualTo(capacity);
        }
        return table;
    }

    /** Access-ordered LinkedHashMap: the obvious LRU with idle expiry. */
    private static final class LruModel {
        private final int capacity;
        private final java.util.LinkedHashMap<Integer, Object[]> map = new java.util.LinkedHashMap<>(16, 0.75f, true);

        LruModel(int capacity) {
            this.capacity = capacity;
        }

        void put(int flow, String gateway, long nowNs) {
            if (!map.containsKey(flow) && map.size() == capacity) {
                map.remove(map.keySet().iterator().next());
            }
            map.put(flow, new Object[] {gateway, nowNs});
        }

        String lookup(int flow, long nowNs) {
            Object[] entry = map.get(flow);
            if (entry == null) {
                return null;
            }
            if (nowNs - (long) entry[1] >= FlowGateways.IDLE_TIMEOUT_NS) {
                map.remove(flow);
                return null;
            }
            entry[1] = nowNs;
            return (String) entry[0];
        }

        void removeGateway(String gateway) {
            Map<Integer, Object[]> copy = new HashMap<>(map);
            copy.forEach((flow, entry) -> {
                if (entry[0].equals(gateway)) {
                    map.remove(flow);
                }
            });
        }
    }
}
