package zonegate.app.internal.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import zonegate.tunnel.DnsPlan;
import zonegate.tunnel.GatewayState;
import zonegate.tunnel.ProxyAddresses;

/**
 * What {@link GatewayDnsServer} asks the gateway state machine, which lives on the event loop's state
 * thread and must only be touched there: an implementation submits a command to that thread and
 * completes the future with {@link GatewayState#planDnsQuery} or {@link GatewayState#assignDnsProxies}.
 * The server waits for each future at most {@link DnsServerConfig#backendTimeout()} and answers SERVFAIL
 * when it does not complete in time or completes exceptionally (a full command queue, a stopped loop).
 *
 * <p>Methods are called from many virtual threads at once and must not block.
 */
public interface DnsBackend {
    /** How to answer a query for {@code name} (as the client sent it) from the tunnel address {@code clientSource}. */
    CompletableFuture<DnsPlan> plan(InetAddress clientSource, String name);

    /**
     * The client's proxy addresses for a DNS resource's {@code domain}, after the state machine has
     * mapped them to the {@code resolved} upstream addresses; completes with null when refused (unknown
     * client, full proxy pool).
     */
    CompletableFuture<ProxyAddresses> assignProxies(InetAddress clientSource, String domain, List<InetAddress> resolved);
}
