package zonegate.app.internal.status;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import zonegate.app.internal.portal.WireMapping;
import zonegate.app.internal.status.StatusReport.Allocation;
import zonegate.app.internal.status.StatusReport.Client;
import zonegate.app.internal.status.StatusReport.Connection;
import zonegate.app.internal.status.StatusReport.DropTotal;
import zonegate.app.internal.status.StatusReport.Relay;
import zonegate.app.internal.status.StatusReport.Resource;
import zonegate.app.internal.status.StatusReport.Self;
import zonegate.filter.Authorization;
import zonegate.ice.Candidate;
import zonegate.ice.SelectedPair;
import zonegate.node.ConnectionDetails;
import zonegate.node.NodeCounter;
import zonegate.node.RelayDetails;
import zonegate.tunnel.ClientDetails;
import zonegate.tunnel.GatewayDropReason;
import zonegate.tunnel.GatewayState;
import zonegate.tunnel.IceGatewayState;
import zonegate.turn.server.AllocationStats;
import zonegate.turn.server.RelayCounter;
import zonegate.turn.server.RelayServer;
import zonegate.wireguard.DropReason;
import zonegate.wireguard.Tunnel;

/**
 * Builds a status in two steps: on the state thread (the driver answers its {@link StatusRequest}) a
 * {@link StatusSnapshot} of the state machines' read-only snapshots, which hold no secrets; then, on the asking
 * thread, the {@link StatusReport} ({@link #report}: text forms, relative times).
 */
public final class StatusCollector {
    private static final long NS_PER_MS = 1_000_000L;

    private StatusCollector() {
    }

    /** The static-mode gateway (on the state thread; {@code nowNs} the current time). */
    public static StatusSnapshot gateway(GatewayState state, Self self, StatusRequest request, long nowNs) {
        List<DropTotal> drops = new ArrayList<>();
        nonZero("gateway", GatewayDropReason.values(), state::dropCount, drops);
        nonZero("wireguard", DropReason.values(), state::wireGuardDropCount, drops);
        return new StatusSnapshot("gateway", self, nowNs, request.dropsOnly() ? List.of() : state.clientDetails(),
                List.of(), List.of(), drops);
    }

    /** The ICE-mode gateway (on the state thread): clients with their connections, and the relays. */
    public static StatusSnapshot iceGateway(IceGatewayState state, Self self, StatusRequest request, long nowNs) {
        List<DropTotal> drops = new ArrayList<>();
        nonZero("gateway", GatewayDropReason.values(), state::dropCount, drops);
        nonZero("node", NodeCounter.values(), state::nodeCount, drops);
        if (request.dropsOnly()) {
            return new StatusSnapshot("gateway", self, nowNs, List.of(), List.of(), List.of(), drops);
        }
        return new StatusSnapshot("gateway", self, nowNs, state.clientDetails(), state.relayDetails(), List.of(), drops);
    }

    /**
     * The TURN relay (on the state thread): its allocations, and its refusals and drops (every
     * {@link RelayCounter} but the allocation and relayed-message counts and the first request's routine 401
     * challenge).
     */
    public static StatusSnapshot relay(RelayServer server, Self self, StatusRequest request, long nowNs) {
        List<DropTotal> drops = new ArrayList<>();
        for (RelayCounter counter : RelayCounter.values()) {
            long n = server.count(counter);
            String name = counter.name().toLowerCase(Locale.ROOT);
            if (n > 0 && counter != RelayCounter.CHALLENGED && !name.startsWith("allocations_")
                    && !name.startsWith("relayed_")) {
                drops.add(new DropTotal("relay", name, n));
            }
        }
        return new StatusSnapshot("relay", self, nowNs, List.of(), List.of(),
                request.dropsOnly() ? List.of() : server.allocations(), drops);
    }

    /** The report of {@code snapshot} at the wall-clock time {@code wallClockMs} (any thread: formats only). */
    public static StatusReport report(StatusSnapshot snapshot, long wallClockMs) {
        List<Relay> relays = new ArrayList<>();
        for (RelayDetails r : snapshot.relays()) {
            relays.add(new Relay(text(r.server()), r.relayedAddresses().stream().map(StatusCollector::text).toList(),
                    r.srttNs() < 0 ? -1 : r.srttNs() / NS_PER_MS, r.suspect()));
        }
        List<Allocation> allocations = new ArrayList<>();
        for (AllocationStats a : snapshot.allocations()) {
            allocations.add(new Allocation(a.username(), text(a.client()), text(a.relayed()), a.permissions(),
                    a.channels(), a.bytesToPeers(), a.bytesToClient()));
        }
        return new StatusReport(snapshot.role(), wallClockMs, snapshot.self(),
                clients(snapshot.clients(), snapshot.nowNs()), relays, allocations, snapshot.drops());
    }

    /** The event loop's drops (LongAdders: read from any thread), those with a nonzero total. */
    public static List<DropTotal> loopDrops(zonegate.shell.loop.LoopCounters c) {
        List<DropTotal> drops = new ArrayList<>();
        c.dropsByReason().forEach((reason, count) -> {
            if (count > 0) {
                drops.add(new DropTotal("loop", reason, count));
            }
        });
        return drops;
    }

    private static List<Client> clients(List<ClientDetails> details, long nowNs) {
        List<Client> clients = new ArrayList<>(details.size());
        for (ClientDetails d : details) {
            String[] tunnel = d.addresses().toString().split(", ");
            clients.add(new Client(d.id().value(), d.publicKey().toBase64(), List.of(tunnel),
                    d.endpoint() == null ? null : text(d.endpoint()),
                    d.lastHandshakeNs() == Tunnel.NEVER ? -1 : Math.max(0, (nowNs - d.lastHandshakeNs()) / NS_PER_MS),
                    d.rxBytes(), d.txBytes(), d.authorizations().stream().map(StatusCollector::resource).toList(),
                    d.natFlows(), connection(d.connection())));
        }
        return clients;
    }

    private static Resource resource(Authorization a) {
        long expires = a.expiresAtUnixSeconds() == Authorization.NEVER ? -1 : a.expiresAtUnixSeconds();
        String id = a.resourceId().value();
        return switch (a.resource()) {
            case zonegate.filter.Resource.CidrRange r -> new Resource(id, "cidr", r.cidr().toString(), expires);
            case zonegate.filter.Resource.Dns d -> new Resource(id, "dns", d.pattern().text(), expires);
            case zonegate.filter.Resource.Internet i -> new Resource(id, "internet", null, expires);
        };
    }

    private static Connection connection(ConnectionDetails c) {
        if (c == null) {
            return null;
        }
        SelectedPair pair = c.pair();
        return new Connection(c.state().name().toLowerCase(Locale.ROOT),
                pair == null ? null : pair.relayed() ? "relayed" : "direct",
                pair == null ? null : candidate(pair.local()), pair == null ? null : candidate(pair.remote()),
                c.relay() == null ? null : text(c.relay()));
    }

    private static String candidate(Candidate c) {
        return c.type().sdpName() + " " + text(c.address());
    }

    private static <E extends Enum<E>> void nonZero(String source, E[] values, ToLongFunction<E> count,
            List<DropTotal> out) {
        for (E value : values) {
            long n = count.applyAsLong(value);
            if (n > 0) {
                out.add(new DropTotal(source, value.name().toLowerCase(Locale.ROOT), n));
            }
        }
    }

    /** {@code 198.51.100.7:51820}, {@code [2001:db8::7]:51820}: no host-name lookup, no leading slash. */
    public static String text(SocketAddress address) {
        if (address instanceof java.net.InetSocketAddress a && a.getAddress() != null) {
            return WireMapping.socketAddressText(a);
        }
        return String.valueOf(address);
    }
}
