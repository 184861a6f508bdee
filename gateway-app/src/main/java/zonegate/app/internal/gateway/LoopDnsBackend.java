package zonegate.app.internal.gateway;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import zonegate.app.internal.dns.DnsBackend;
import zonegate.app.internal.loop.EventLoop;
import zonegate.tunnel.DnsPlan;
import zonegate.tunnel.ProxyAddresses;

/**
 * The DNS server's questions, asked of the gateway's state machine on its own thread: each becomes a
 * command in the event loop's queue and completes when the state thread has answered. A full queue
 * fails the future at once (the server then answers SERVFAIL).
 */
final class LoopDnsBackend implements DnsBackend {
    private final EventLoop loop;

    LoopDnsBackend(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public CompletableFuture<DnsPlan> plan(InetAddress clientSource, String name) {
        CompletableFuture<DnsPlan> result = new CompletableFuture<>();
        submit(new GatewayCommand.PlanDns(clientSource, name, result), result);
        return result;
    }

    @Override
    public CompletableFuture<ProxyAddresses> assignProxies(InetAddress clientSource, String domain,
            List<InetAddress> resolved) {
        CompletableFuture<ProxyAddresses> result = new CompletableFuture<>();
        submit(new GatewayCommand.AssignDnsProxies(clientSource, domain, resolved, result), result);
        return result;
    }

    private void submit(GatewayCommand command, CompletableFuture<?> result) {
        if (!loop.submit(command)) {
            result.completeExceptionally(new IllegalStateException("the gateway's command queue is full"));
        }
    }
}
