package zonegate.app.internal.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import zonegate.node.NodeCounter;
import zonegate.tunnel.GatewayDropReason;
import zonegate.tunnel.GatewayState;
import zonegate.tunnel.IceGatewayState;
import zonegate.turn.server.AllocationStats;
import zonegate.turn.server.RelayCounter;
import zonegate.turn.server.RelayServer;
import zonegate.wireguard.DropReason;

/**
 * The state machines' counters as metrics. Each method runs on the state thread (the driver calls it from
 * its {@link StateSnapshot.Request}); labels are enum names in lower case, a bounded set.
 */
public final class StateMetrics {
    private StateMetrics() {
    }

    /** The static-mode gateway: drops by reason (its own and WireGuard's), clients, queue overflows. */
    public static void gateway(GatewayState state, MetricsBuilder out) {
        out.counters("zonegate_gateway_drops_total", "Datagrams and packets the gateway dropped, by reason.",
                        "reason", byEnum(GatewayDropReason.values(), state::dropCount))
                .counters("zonegate_wireguard_drops_total",
                        "WireGuard messages dropped, by reason (handshake failures and rate limits included).",
                        "reason", byEnum(DropReason.values(), state::wireGuardDropCount))
                .counter("zonegate_gateway_events_dropped_total", "Events dropped because the event queue was full.",
                        state.eventsDropped())
                .counter("zonegate_dns_assignments_refused_total", "DNS proxy-address assignments refused.",
                        state.refusedDnsAssignments())
                .gauge("zonegate_clients", "Clients the gateway knows.", state.clientCount());
    }

    /** The ICE-mode gateway: drops by reason, the node's counters, clients. */
    public static void iceGateway(IceGatewayState state, MetricsBuilder out) {
        out.counters("zonegate_gateway_drops_total", "Datagrams and packets the gateway dropped, by reason.",
                        "reason", byEnum(GatewayDropReason.values(), state::dropCount))
                .counters("zonegate_node_events_total",
                        "The peer-to-peer node's counters (drops, queue overflows, rate limits), by counter.",
                        "counter", byEnum(NodeCounter.values(), state::nodeCount))
                .gauge("zonegate_clients", "Clients the gateway knows.", state.clientCount());
    }

    /** The TURN relay: every server counter, live allocations, channels, permissions and relayed bytes. */
    public static void relay(RelayServer server, long endedBytesToPeers, long endedBytesToClients,
                             MetricsBuilder out) {
        List<AllocationStats> live = server.allocations();
        long channels = 0;
        long permissions = 0;
        long toPeers = endedBytesToPeers;
        long toClients = endedBytesToClients;
        for (AllocationStats a : live) {
            channels += a.channels();
            permissions += a.permissions();
            toPeers += a.bytesToPeers();
            toClients += a.bytesToClient();
        }
        out.counters("zonegate_relay_events_total",
                        "TURN server counters: refusals by code, allocations created/expired/deleted, relayed messages.",
                        "counter", byEnum(RelayCounter.values(), server::count))
                .gauge("zonegate_relay_allocations", "Live TURN allocations.", live.size())
                .gauge("zonegate_relay_channels", "Channels bound on live allocations.", channels)
                .gauge("zonegate_relay_permissions", "Permissions installed on live allocations.", permissions)
                .counter("zonegate_relay_to_peers_bytes_total", "Bytes relayed from clients to peers.", toPeers)
                .counter("zonegate_relay_to_clients_bytes_total", "Bytes relayed from peers to clients.", toClients);
    }

    private static <E extends Enum<E>> Map<String, Long> byEnum(E[] values, ToLongFunction<E> count) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (E value : values) {
            counts.put(value.name().toLowerCase(Locale.ROOT), count.applyAsLong(value));
        }
        return counts;
    }
}
