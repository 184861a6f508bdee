package zonegate.app.internal.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import zonegate.node.NodeCounter;
import zonegate.tunnel.ClientCounter;
import zonegate.tunnel.ClientState;
import zonegate.tunnel.GatewayDropReason;
import zonegate.tunnel.GatewayState;
import zonegate.tunnel.IceGatewayState;
import zonegate.turn.server.AllocationStats;
import zonegate.turn.server.RelayCounter;
import zonegate.turn.server.RelayServer;
import zonegate.wireguard.DropReason;
import zonegate.wireguard.HandshakeCounter;

/**
 * The state machines' counters as metrics. Each method runs on the state thread (the driver calls it from
 * its {@link StateSnapshot.Request}); labels are enum names in lower case, a bounded set.
 */
public final class StateMetrics {
    /** The drop reasons that are a filter's denial. */
    private static final List<GatewayDropReason> FILTER_DENIALS = List.of(GatewayDropReason.NO_RESOURCE,
            GatewayDropReason.FILTERED, GatewayDropReason.GATEWAY_FILTERED, GatewayDropReason.SPOOFED,
            GatewayDropReason.UNMATCHED_ICMP_ERROR, GatewayDropReason.UNKNOWN_PROXY_ADDRESS);
    /** WireGuard's drop reasons that end a handshake attempt. */
    private static final List<DropReason> HANDSHAKE_FAILURES = List.of(DropReason.HANDSHAKE_FAILED,
            DropReason.UNKNOWN_PEER, DropReason.REPLAYED_TIMESTAMP, DropReason.RATE_LIMITED,
            DropReason.HANDSHAKE_GAVE_UP);

    private StateMetrics() {
    }

    /** The static-mode gateway: drops by reason (its own and WireGuard's), handshakes, filter, NAT, clients. */
    public static void gateway(GatewayState state, MetricsBuilder out) {
        dataPath(state::dropCount, state.filterAllowedCount(), state.natFlowCount(), out);
        wireGuard(state::handshakeCount, state::wireGuardDropCount, out);
        out.counter("zonegate_cookie_replies_sent_total",
                        "Cookie replies sent to handshake initiators while under load.", state.cookieRepliesSent())
                .counter("zonegate_gateway_events_dropped_total", "Events dropped because the event queue was full.",
                        state.eventsDropped())
                .counter("zonegate_dns_assignments_refused_total", "DNS proxy-address assignments refused.",
                        state.refusedDnsAssignments())
                .gauge("zonegate_clients", "Clients the gateway knows.", state.clientCount());
    }

    /** The ICE-mode gateway: drops by reason, handshakes, filter, NAT, the node's counters, clients. */
    public static void iceGateway(IceGatewayState state, MetricsBuilder out) {
        dataPath(state::dropCount, state.filterAllowedCount(), state.natFlowCount(), out);
        wireGuard(state::handshakeCount, state::wireGuardDropCount, out);
        out.counters("zonegate_node_events_total",
                        "The peer-to-peer node's counters (drops, queue overflows, rate limits), by counter.",
                        "counter", byEnum(NodeCounter.values(), state::nodeCount))
                .gauge("zonegate_clients", "Clients the gateway knows.", state.clientCount());
    }

    /** The headless client: the packet path's drops, handshakes, the node's counters, connections. */
    public static void client(ClientState state, MetricsBuilder out) {
        wireGuard(state::handshakeCount, state::wireGuardDropCount, out);
        out.counters("zonegate_client_drops_total", "Packets the client's packet path dropped, by reason.", "reason",
                        byEnum(ClientCounter.values(), state::count))
                .counters("zonegate_node_events_total",
                        "The peer-to-peer node's counters (drops, queue overflows, rate limits), by counter.",
                        "counter", byEnum(NodeCounter.values(), state::nodeCount))
                .gauge("zonegate_client_connections", "Connections to gateways (connecting or connected).",
                        state.connectionCount());
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

    /** Both gateways' data path: drops by reason, the filter's decisions, NAT flows. */
    private static void dataPath(ToLongFunction<GatewayDropReason> drops, long allowed, long natFlows,
                                 MetricsBuilder out) {
        Map<String, Long> decisions = new LinkedHashMap<>();
        decisions.put("allowed", allowed);
        for (GatewayDropReason denial : FILTER_DENIALS) {
            decisions.put(denial.name().toLowerCase(Locale.ROOT), drops.applyAsLong(denial));
        }
        out.counters("zonegate_gateway_drops_total", "Datagrams and packets the gateway dropped, by reason.",
                        "reason", byEnum(GatewayDropReason.values(), drops))
                .counters("zonegate_filter_decisions_total",
                        "Client packets the filters decided, by verdict (every verdict but allowed is a drop reason).",
                        "verdict", decisions)
                .gauge("zonegate_nat_flows", "Flows in the clients' DNS-resource NAT tables.", natFlows);
    }

    /** WireGuard's handshakes started, completed and failed, and its drops by reason. */
    private static void wireGuard(ToLongFunction<HandshakeCounter> handshakes, ToLongFunction<DropReason> drops,
                                  MetricsBuilder out) {
        Map<String, Long> failed = new LinkedHashMap<>();
        for (DropReason reason : HANDSHAKE_FAILURES) {
            failed.put(reason.name().toLowerCase(Locale.ROOT), drops.applyAsLong(reason));
        }
        out.counters("zonegate_handshakes_started_total",
                        "WireGuard handshakes started: initiations sent (initiator) or admitted to the Diffie-Hellman "
                                + "(responder).", "role",
                        roles(handshakes.applyAsLong(HandshakeCounter.INITIATIONS_SENT),
                                handshakes.applyAsLong(HandshakeCounter.INITIATIONS_RECEIVED)))
                .counters("zonegate_handshakes_completed_total",
                        "WireGuard handshakes completed: responses accepted (initiator) or sent (responder).", "role",
                        roles(handshakes.applyAsLong(HandshakeCounter.RESPONSES_ACCEPTED),
                                handshakes.applyAsLong(HandshakeCounter.INITIATIONS_ANSWERED)))
                .counters("zonegate_handshakes_failed_total", "WireGuard handshake messages refused, by reason.",
                        "reason", failed)
                .counters("zonegate_wireguard_drops_total",
                        "WireGuard messages dropped, by reason (handshake failures and rate limits included).",
                        "reason", byEnum(DropReason.values(), drops));
    }

    private static Map<String, Long> roles(long initiator, long responder) {
        Map<String, Long> roles = new LinkedHashMap<>();
        roles.put("initiator", initiator);
        roles.put("responder", responder);
        return roles;
    }

    private static <E extends Enum<E>> Map<String, Long> byEnum(E[] values, ToLongFunction<E> count) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (E value : values) {
            counts.put(value.name().toLowerCase(Locale.ROOT), count.applyAsLong(value));
        }
        return counts;
    }
}
