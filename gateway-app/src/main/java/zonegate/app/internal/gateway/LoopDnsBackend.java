package zonegate.app.internal.gateway;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import zonegate.app.internal.dns.DnsBackend;
import zonegate.app.internal.dns.DnsClients;
import zonegate.shell.loop.EventLoop;
import zonegate.filter.ClientId;
import zonegate.tunnel.DnsAssignment;
import zonegate.tunnel.DnsPlan;

/**
 * The DNS server's questions, asked of the gateway's state machine on its own thread: each becomes a
 * command in the event loop's queue and completes when the state thread has answered. A full queue
 * fails the future at once (the server then answers SERVFAIL). Who a source is comes from the client
 * directory the driver publishes after every policy change, without a command.
 */
final class LoopDnsBackend implements DnsBackend {
    private final EventLoop loop;
    private final DnsClients clients;

    LoopDnsBackend(EventLoop loop, DnsClients clients) {
        this.loop = loop;
        this.clients = clients;
    }

    @Override
    public ClientId clientOf(InetAddress source) {
        return clients.clientOf(source);
    }

    @Override
    public CompletableFuture<DnsPlan> plan(InetAddress clientSource, String name) {
        CompletableFuture<DnsPlan> result = new CompletableFuture<>();
        submit(new GatewayCommand.PlanDns(clientSource, name, result), result);
        return result;
    }

    @Override
    public CompletableFuture<DnsAssignment> assignProxies(InetAddress clientSource, String domain,
            List<InetAddress> resolved) {
        CompletableFuture<DnsAssignment> result = new CompletableFuture<>();
        submit(new GatewayCommand.AssignDnsProxies(clientSource, domain, resolved, result), result);
        return result;
    }

    private void submit(GatewayCommand command, CompletableFuture<?> result) {
        if (!loop.submit(command)) {
            result.completeExceptionally(new IllegalStateException("the gateway's command queue is full"));
        }
    }
}
