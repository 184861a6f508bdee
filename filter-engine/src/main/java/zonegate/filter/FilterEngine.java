package zonegate.filter;

import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.tinylog.Logger;
import zonegate.filter.internal.AuthorizationSet;
import zonegate.filter.internal.FlowTable;
import zonegate.packet.IpProtocol;

/**
 * The gateway's filter engine: every client's authorisations and routing table ({@link ClientFilter}),
 * their expiry, and the events that report it. A sans-IO state machine (DESIGN.md section 2): time
 * comes in as {@code nowNs}, the wall clock is injected, nothing here does I/O.
 *
 * <pre>{@code
 * FilterEngine engine = new FilterEngine(FilterConfig.DEFAULT, InstantSource.system());
 * ClientFilter client = engine.upsertClient(clientId, tunnelAddresses, nowNs);
 * client.replaceAll(authorizations, nowNs);                 // from the control plane's init
 * ...
 * if (nowNs >= engine.pollTimeout()) {                      // in the duty cycle
 *     engine.handleTimeout(nowNs);
 * }
 * for (FilterEvent e; (e = engine.pollEvent()) != null; ) {
 *     switch (e) {
 *         case FilterEvent.AuthorizationExpired(ClientId c, ResourceId r) -> log(c, r);
 *         case FilterEvent.NoAuthorizationLeft(ClientId c) -> sayGoodbye(c);
 *     }
 * }
 * }</pre>
 *
 * <h2>Expiry</h2>
 * An authorisation's Unix-seconds expiry is converted once, when it is set, to an instant in the
 * {@code nowNs} domain ({@code nowNs + expiry - wallClock.instant()}). Decisions compare that
 * instant with the packet's {@code nowNs}, so an authorisation stops matching exactly at its expiry
 * ({@code nowNs == expiry} is denied) even before {@link #handleTimeout} runs; the timeout then
 * removes it and emits {@link FilterEvent.AuthorizationExpired}, and
 * {@link FilterEvent.NoAuthorizationLeft} when it was the client's last.
 *
 * <h2>Bounds</h2>
 * {@link FilterConfig#maxClients} clients ({@link #refusedClients()} counts refusals),
 * {@link FilterConfig#maxResourcesPerClient} authorisations per client, a flow table of
 * {@link FilterConfig#maxFlowsPerClient} per client, {@link FilterConfig#maxPendingEvents} queued
 * events ({@link #droppedEvents()} counts the overflow).
 *
 * <p>Not thread-safe: one thread (the gateway's state-machine thread) makes every call. Each client's
 * table is an immutable snapshot swapped on change, but nothing here is published to other threads.
 */
public final class FilterEngine {
    /** {@link #pollTimeout()} when nothing is due. */
    public static final long NO_TIMEOUT = Long.MAX_VALUE;

    private final FilterConfig config;
    private final InstantSource wallClock;
    private final Map<ClientId, ClientFilter> clients = new LinkedHashMap<>();
    private final ArrayDeque<FilterEvent> events = new ArrayDeque<>();
    private long lastNowNs = Long.MIN_VALUE;
    private long nextDeadlineNs = NO_TIMEOUT;
    private boolean deadlineStale;
    private long nextDomainFlowKey;
    private long droppedEvents;
    private long refusedClients;
    private long refusedCommands;

    public FilterEngine(FilterConfig config, InstantSource wallClock) {
        this.config = Objects.requireNonNull(config, "config");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
    }

    /**
     * Adds a client with no authorisation, or updates the tunnel addresses of a known one (which
     * forgets its flows if they changed).
     *
     * @return the client's filter, or null if the engine already holds {@link FilterConfig#maxClients}
     *     (counted in {@link #refusedClients()})
     */
    public ClientFilter upsertClient(ClientId id, TunnelAddresses addresses, long nowNs) {
        advance(nowNs);
        Objects.requireNonNull(addresses, "addresses");
        ClientFilter existing = clients.get(id);
        if (existing != null) {
            existing.updateAddresses(addresses);
            return existing;
        }
        if (clients.size() >= config.maxClients()) {
            refusedClients++;
            Logger.debug("cid={} refused: the engine holds {} clients", id, clients.size());
            return null;
        }
        ClientFilter client = new ClientFilter(this, id, addresses,
                new AuthorizationSet(config.maxResourcesPerClient(), wallClock),
                new FlowTable(config.maxFlowsPerClient()));
        clients.put(id, client);
        Logger.debug("cid={} added with tunnel addresses {}", id, addresses);
        return client;
    }

    /** The client's filter, or null. */
    public ClientFilter client(ClientId id) {
        return clients.get(id);
    }

    /** Forgets a client and its authorisations (no event: the caller is removing it). */
    public boolean removeClient(ClientId id, long nowNs) {
        advance(nowNs);
        boolean removed = clients.remove(id) != null;
        if (removed) {
            deadlineStale = true;
            Logger.debug("cid={} removed", id);
        }
        return removed;
    }

    public int clientCount() {
        return clients.size();
    }

    /**
     * The earliest authorisation expiry in ns, or {@link #NO_TIMEOUT}. Idle flows need no timeout:
     * they expire lazily. O(clients) after a change, O(1) otherwise.
     */
    public long pollTimeout() {
        if (deadlineStale) {
            long next = NO_TIMEOUT;
            for (ClientFilter client : clients.values()) {
                next = Math.min(next, client.nextExpiryNs());
            }
            nextDeadlineNs = next;
            deadlineStale = false;
        }
        return nextDeadlineNs;
    }

    /** What {@link #pollTimeout()} is for (for logs), or null if none is due. */
    public String pollTimeoutReason() {
        return pollTimeout() == NO_TIMEOUT ? null : "authorisation expiry";
    }

    /**
     * Removes every authorisation expired at {@code nowNs}, queueing {@link FilterEvent}s for them.
     * Harmless when nothing is due. O(clients) when something is.
     */
    public void handleTimeout(long nowNs) {
        advance(nowNs);
        if (nowNs < pollTimeout()) {
            return;
        }
        for (ClientFilter client : clients.values()) {
            if (client.nextExpiryNs() <= nowNs) {
                client.expire(nowNs);
            }
        }
        deadlineStale = true;
    }

    /** The next event, or null. */
    public FilterEvent pollEvent() {
        return events.poll();
    }

    /** Events dropped because {@link FilterConfig#maxPendingEvents} were already queued. */
    public long droppedEvents() {
        return droppedEvents;
    }

    /** Clients refused because the engine was full. */
    public long refusedClients() {
        return refusedClients;
    }

    /** Authorisation changes refused (too many resources, duplicates, unknown resources). */
    public long refusedCommands() {
        return refusedCommands;
    }

    public FilterConfig config() {
        return config;
    }

    // ---- for ClientFilter ---------------------------------------------------------------------

    /** Asserts that time does not go backwards. */
    void advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards: " + nowNs + " < " + lastNowNs;
        lastNowNs = nowNs;
    }

    void emit(FilterEvent event) {
        if (events.size() >= config.maxPendingEvents()) {
            droppedEvents++;
            return;
        }
        events.add(event);
    }

    void onExpiryChanged() {
        deadlineStale = true;
    }

    void countRefusedCommand() {
        refusedCommands++;
    }

    long nextDomainFlowKey() {
        return nextDomainFlowKey++;
    }

    long flowIdleNs(int protocol) {
        return switch (protocol) {
            case IpProtocol.TCP -> config.tcpFlowIdleNs();
            case IpProtocol.UDP -> config.udpFlowIdleNs();
            default -> config.icmpFlowIdleNs();
        };
    }
}
