package zonegate.app.internal.gateway;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import zonegate.app.spi.GatewayPolicy;
import zonegate.tunnel.DnsAssignment;
import zonegate.tunnel.DnsPlan;
import zonegate.tunnel.GatewayState;

/**
 * What other threads ask of the gateway's state machine. They reach the state thread through the event
 * loop's command queue ({@code EventLoop.submit}); replies complete the carried future there.
 */
sealed interface GatewayCommand {
    /** A new desired state from the control plane. */
    record ApplyPolicy(GatewayPolicy policy) implements GatewayCommand {
    }

    /** The DNS server asks how to answer {@code name} for the client at {@code client}. */
    record PlanDns(InetAddress client, String name, CompletableFuture<DnsPlan> result) implements GatewayCommand {
    }

    /** The DNS server resolved a DNS resource's domain and needs the client's proxy addresses for it. */
    record AssignDnsProxies(InetAddress client, String domain, List<InetAddress> resolved,
            CompletableFuture<DnsAssignment> result) implements GatewayCommand {
    }

    /** Runs on the state thread with the state machine (reads of its counters for an embedding application). */
    record WithState(Consumer<GatewayState> task) implements GatewayCommand {
    }
}
