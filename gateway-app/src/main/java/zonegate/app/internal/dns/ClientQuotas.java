package zonegate.app.internal.dns;

import java.util.concurrent.ConcurrentHashMap;
import zonegate.filter.ClientId;

/**
 * What each client holds of the DNS server at once: TCP connections, queries being answered (UDP and
 * TCP) and upstream exchanges, each with its own per-client bound, so one client cannot take the shared
 * bounds from the others. Only clients holding something have an entry, so the map is bounded by the
 * number of clients. Thread-safe.
 */
final class ClientQuotas {
    /** What is counted. */
    enum Kind {
        TCP_CONNECTIONS, QUERIES, UPSTREAM_EXCHANGES
    }

    private final int[] limits;
    private final ConcurrentHashMap<ClientId, int[]> held = new ConcurrentHashMap<>();

    ClientQuotas(int tcpConnections, int queries, int upstreamExchanges) {
        this.limits = new int[] {tcpConnections, queries, upstreamExchanges};
    }

    /** Takes {@code n} of {@code kind} for {@code client}; false (and nothing taken) beyond its bound. */
    boolean tryAcquire(ClientId client, Kind kind, int n) {
        boolean[] granted = {false};
        held.compute(client, (c, used) -> {
            int[] u = used == null ? new int[limits.length] : used;
            if (u[kind.ordinal()] + n <= limits[kind.ordinal()]) {
                u[kind.ordinal()] += n;
                granted[0] = true;
            }
            return isEmpty(u) ? null : u;
        });
        return granted[0];
    }

    void release(ClientId client, Kind kind, int n) {
        held.computeIfPresent(client, (c, u) -> {
            u[kind.ordinal()] -= n;
            return isEmpty(u) ? null : u;
        });
    }

    /** How much of {@code kind} {@code client} holds now. */
    int held(ClientId client, Kind kind) {
        int[] u = held.get(client);
        return u == null ? 0 : u[kind.ordinal()];
    }

    private static boolean isEmpty(int[] used) {
        for (int u : used) {
            if (u != 0) {
                return false;
            }
        }
        return true;
    }
}
