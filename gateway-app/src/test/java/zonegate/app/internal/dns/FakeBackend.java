package zonegate.app.internal.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import zonegate.tunnel.DnsPlan;
import zonegate.tunnel.ProxyAddresses;

/** A state thread for tests: plans from a table of names (Forward otherwise), fixed proxies, every call kept. */
final class FakeBackend implements DnsBackend {
    static final ProxyAddresses PROXIES = new ProxyAddresses(
            List.of(v4("100.96.0.1"), v4("100.96.0.2"), v4("100.96.0.3"), v4("100.96.0.4")),
            List.of(v6("fd00:2021:1111:8000::1"), v6("fd00:2021:1111:8000::2"), v6("fd00:2021:1111:8000::3"),
                    v6("fd00:2021:1111:8000::4")));

    /** An assignProxies call. */
    record Assignment(InetAddress client, String domain, List<InetAddress> resolved) {
    }

    private final Map<String, DnsPlan> plans = new ConcurrentHashMap<>();
    final Queue<Assignment> assignments = new ConcurrentLinkedQueue<>();
    volatile boolean stuck;

    FakeBackend plan(String name, DnsPlan plan) {
        plans.put(name, plan);
        return this;
    }

    FakeBackend resource(String name) {
        return plan(name, new DnsPlan.Resource(name, List.of()));
    }

    @Override
    public CompletableFuture<DnsPlan> plan(InetAddress clientSource, String name) {
        if (stuck) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.completedFuture(plans.getOrDefault(name.toLowerCase(java.util.Locale.ROOT),
                new DnsPlan.Forward()));
    }

    @Override
    public CompletableFuture<ProxyAddresses> assignProxies(InetAddress clientSource, String domain,
                                                           List<InetAddress> resolved) {
        assignments.add(new Assignment(clientSource, domain, List.copyOf(resolved)));
        return CompletableFuture.completedFuture(PROXIES);
    }

    private static Inet4Address v4(String s) {
        return (Inet4Address) InetAddress.ofLiteral(s);
    }

    private static Inet6Address v6(String s) {
        return (Inet6Address) InetAddress.ofLiteral(s);
    }
}
