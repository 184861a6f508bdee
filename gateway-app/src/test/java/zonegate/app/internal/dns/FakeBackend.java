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
import zonegate.filter.ClientId;
import zonegate.tunnel.DnsAssignment;
import zonegate.tunnel.DnsPlan;
import zonegate.tunnel.ProxyAddresses;

/**
 * A state thread for tests: 127.0.0.1, 127.0.0.2 and ::1 are clients (a, b, and a again); plans from a
 * table of names (Forward otherwise), fixed proxies unless an assignment outcome is set, every call kept.
 */
final class FakeBackend implements DnsBackend {
    static final ClientId A = ClientId.of("a");
    static final ClientId B = ClientId.of("b");

    static final ProxyAddresses PROXIES = new ProxyAddresses(
            List.of(v4("100.96.0.1"), v4("100.96.0.2"), v4("100.96.0.3"), v4("100.96.0.4")),
            List.of(v6("fd00:2021:1111:8000::1"), v6("fd00:2021:1111:8000::2"), v6("fd00:2021:1111:8000::3"),
                    v6("fd00:2021:1111:8000::4")));

    /** An assignProxies call. */
    record Assignment(InetAddress client, String domain, List<InetAddress> resolved) {
    }

    private final Map<String, DnsPlan> plans = new ConcurrentHashMap<>();
    private final Map<InetAddress, ClientId> clients = new ConcurrentHashMap<>(Map.of(
            InetAddress.ofLiteral("127.0.0.1"), A, InetAddress.ofLiteral("::1"), A,
            InetAddress.ofLiteral("127.0.0.2"), B));
    volatile DnsAssignment assignment = new DnsAssignment.Assigned(PROXIES);
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
    public ClientId clientOf(InetAddress source) {
        return clients.get(source);
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
    public CompletableFuture<DnsAssignment> assignProxies(InetAddress clientSource, String domain,
                                                          List<InetAddress> resolved) {
        assignments.add(new Assignment(clientSource, domain, List.copyOf(resolved)));
        return CompletableFuture.completedFuture(assignment);
    }

    private static Inet4Address v4(String s) {
        return (Inet4Address) InetAddress.ofLiteral(s);
    }

    private static Inet6Address v6(String s) {
        return (Inet6Address) InetAddress.ofLiteral(s);
    }
}
