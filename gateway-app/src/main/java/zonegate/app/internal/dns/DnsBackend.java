package zonegate.app.internal.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import zonegate.filter.ClientId;
import zonegate.tunnel.DnsAssignment;
import zonegate.tunnel.DnsPlan;
import zonegate.tunnel.GatewayState;

/**
 * What {@link GatewayDnsServer} asks the gateway state machine, which lives on the event loop's state
 * thread and must only be touched there: an implementation submits a command to that thread and
 * completes the future with {@link GatewayState#planDnsQuery} or {@link GatewayState#assignDns}.
 * The server waits for each future at most {@link DnsServerConfig#backendTimeout()} and answers SERVFAIL
 * when it does not complete in time or completes exceptionally (a full command queue, a stopped loop).
 *
 * <p>Methods are called from many virtual threads at once and must not block.
 */
public interface DnsBackend {
    /**
     * The client whose tunnel address {@code source} is, or null: answered at once from a snapshot the
     * state thread publishes on every policy change (the server refuses other sources at accept and
     * keys its per-client bounds by it).
     */
    ClientId clientOf(InetAddress source);

    /** How to answer a query for {@code name} (as the client sent it) from the tunnel address {@code clientSource}. */
    CompletableFuture<DnsPlan> plan(InetAddress clientSource, String name);

    /**
     * Maps the client's proxy addresses for a DNS resource's {@code domain} to the {@code resolved}
     * upstream addresses: the proxies, or why not (unknown client, full proxy pool, a forbidden address).
     */
    CompletableFuture<DnsAssignment> assignProxies(InetAddress clientSource, String domain, List<InetAddress> resolved);
}
