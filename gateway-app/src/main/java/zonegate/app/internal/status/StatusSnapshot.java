package zonegate.app.internal.status;

import java.util.List;
import java.util.Objects;
import zonegate.node.RelayDetails;
import zonegate.tunnel.ClientDetails;
import zonegate.turn.server.AllocationStats;

/**
 * What the state thread hands over for a status: the state machines' immutable snapshots, taken at {@code nowNs}
 * and turned into a {@link StatusReport} afterwards, off the state thread ({@link StatusCollector#report}), so the
 * data path pauses only for the copy (1-2 ms per 1,000 clients measured).
 *
 * @param role {@code gateway} or {@code relay}
 * @param nowNs the state thread's monotonic time of the snapshot (latest handshakes are relative to it)
 */
public record StatusSnapshot(String role, StatusReport.Self self, long nowNs, List<ClientDetails> clients,
        List<RelayDetails> relays, List<AllocationStats> allocations, List<StatusReport.DropTotal> drops) {
    public StatusSnapshot {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(self, "self");
        clients = List.copyOf(clients);
        relays = List.copyOf(relays);
        allocations = List.copyOf(allocations);
        drops = List.copyOf(drops);
    }
}
