package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.internal.client.TestPackets.parse;
import static zonegate.tunnel.internal.client.TestPackets.syn;
import static zonegate.tunnel.internal.client.TestPackets.udp;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zonegate.filter.Filter;
import zonegate.filter.ResourceId;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;
import zonegate.tunnel.ClientResource;

/**
 * The per-packet operations allocate nothing once warm, measured with the JVM's per-thread allocation
 * counter over many calls (a single allocation per call would show as megabytes). Skipped where the JVM
 * does not offer the counter.
 */
class AllocationFreeTest {
    private static final int CALLS = 200_000;
    /** Slack for the measuring itself; far below one allocation per call. */
    private static final long SLACK_BYTES = 16_384;

    private static Object threads;
    private static Method allocatedBytes;

    /**
     * The counter is com.sun.management.ThreadMXBean, reached by reflection: this module does not read
     * java.management or jdk.management, and core reflection does not need it to.
     */
    @BeforeAll
    static void counter() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            Class<?> extended = Class.forName("com.sun.management.ThreadMXBean");
            if (extended.isInstance(bean)
                    && (boolean) extended.getMethod("isThreadAllocatedMemorySupported").invoke(bean)) {
                extended.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
                allocatedBytes = extended.getMethod("getCurrentThreadAllocatedBytes");
                threads = bean;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            threads = null;
        }
    }

    @Test
    void routeLookupsAllocateNothing() {
        ClientRoutes routes = new ClientRoutes();
        List<ClientResource> resources = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            resources.add(TestResources.cidr("r" + i, "10." + (i / 256) + "." + (i % 256) + ".0/" + (24 + i % 9)));
        }
        resources.add(TestResources.cidr("v6", "2001:db8::/32"));
        resources.add(TestResources.internet("inet"));
        resources.add(TestResources.dns("git", "git.example.com"));
        routes.setResources(resources);
        routes.setInternetEnabled(true);
        int[] v4 = {TestResources.v4("10.3.4.5"), TestResources.v4("100.96.0.1"), TestResources.v4("8.8.8.8"),
            TestResources.v4("192.168.0.1")};
        long high = TestResources.high("2001:db8::1");

        long bytes = allocatedBy(() -> {
            int hits = 0;
            for (int i = 0; i < CALLS; i++) {
                hits += routes.routeV4(v4[i & 3]) != null ? 1 : 0;
                hits += routes.routeV6(high, i) != null ? 1 : 0;
                hits += routes.routeV6(0xfe80L << 48, i) != null ? 1 : 0;
            }
            return hits;
        });

        assertThat(bytes).isLessThan(SLACK_BYTES);
    }

    @Test
    void filterChecksAllocateNothing() {
        List<Filter> filters = List.of(new Filter.Udp(53, 53), new Filter.Tcp(80, 443), new Filter.Icmp());

        long bytes = allocatedBy(() -> {
            int permitted = 0;
            for (int i = 0; i < CALLS; i++) {
                permitted += ClientFilters.permits(filters, (i & 1) == 0 ? IpProtocol.TCP : IpProtocol.ICMPV6, i & 1023)
                        ? 1 : 0;
            }
            return permitted;
        });

        assertThat(bytes).isLessThan(SLACK_BYTES);
    }

    @Test
    void stickyLookupsAndUpdatesAllocateNothing() {
        FlowGateways flows = new FlowGateways(512);
        IpPacket[] packets = new IpPacket[1_024];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = i % 2 == 0 ? parse(udp("100.64.0.2", 1_000 + i, "10.0.0.5", 53, 4))
                    : parse(udp("fd00:2021:1111::2", 1_000 + i, "2001:db8::5", 53, 4));
        }
        ResourceId rid = ResourceId.of("db");

        long bytes = allocatedBy(() -> {
            int hits = 0;
            for (int i = 0; i < CALLS; i++) {
                IpPacket p = packets[i & 1023];
                if (flows.lookup(p, i * 1_000L) == null) {
                    flows.put(p, (i & 4) == 0 ? "gw-1" : "gw-2", rid, i * 1_000L);
                } else {
                    hits++;
                }
            }
            return hits;
        });

        assertThat(bytes).isLessThan(SLACK_BYTES);
        assertThat(flows.evicted()).isPositive();
    }

    @Test
    void pendingOffersAndDrainsAllocateNothingOnceWarm() {
        // Drained before it fills: a drop logs at TRACE, which the test logging configuration enables.
        PendingPackets pending = new PendingPackets(16);
        List<ByteBuffer> packets = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            packets.add(ByteBuffer.wrap(i % 4 == 0 ? syn("100.64.0.2", 40_000 + i % 8, "10.0.0.5", 443)
                    : udp("100.64.0.2", 1_000 + i, "10.0.0.5", 53, 100 + i)));
        }
        int[] seen = {0};
        java.util.function.Consumer<ByteBuffer> sink = b -> seen[0] += b.remaining();

        long bytes = allocatedBy(() -> {
            for (int i = 0; i < CALLS / 10; i++) {
                ByteBuffer p = packets.get(i & 63);
                pending.offer(p, 0, p.capacity());
                if ((i & 7) == 7) {
                    pending.drain(sink);
                }
            }
            return seen[0];
        });

        assertThat(bytes).isLessThan(SLACK_BYTES);
    }

    /** Bytes the current thread allocated running {@code work}, after running it once to warm up. */
    private static long allocatedBy(java.util.function.IntSupplier work) {
        Assumptions.assumeTrue(threads != null, "no per-thread allocation counter in this JVM");
        work.getAsInt();
        try {
            long before = (long) allocatedBytes.invoke(threads);
            int result = work.getAsInt();
            long after = (long) allocatedBytes.invoke(threads);
            assertThat(result).isNotNegative();
            return after - before;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("allocation counter failed", e);
        }
    }
}
