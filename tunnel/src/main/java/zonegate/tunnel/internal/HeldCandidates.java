package zonegate.tunnel.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import zonegate.filter.ClientId;
import zonegate.ice.Candidate;
import zonegate.tunnel.GatewayEvent;

/**
 * ICE mode: candidate changes made while the control plane is disconnected, merged per client (a
 * candidate added then removed cancels out), to be flushed on reconnect. Bounded by the number of clients
 * times the candidates a connection has (a few per relay and socket).
 */
public final class HeldCandidates {
    private static final class Change {
        final Set<Candidate> added = new LinkedHashSet<>();
        final Set<Candidate> removed = new LinkedHashSet<>();
    }

    private final Map<ClientId, Change> byClient = new LinkedHashMap<>();

    public void hold(ClientId client, List<Candidate> added, List<Candidate> removed) {
        Change c = byClient.computeIfAbsent(client, k -> new Change());
        for (Candidate a : added) {
            c.removed.remove(a);
            c.added.add(a);
        }
        for (Candidate r : removed) {
            if (!c.added.remove(r)) {
                c.removed.add(r);
            }
        }
    }

    /** Forgets a client's held changes (its connection is gone). */
    public void forget(ClientId client) {
        byClient.remove(client);
    }

    /** One event per client with changes, in the order they were first held; empties. */
    public List<GatewayEvent.CandidatesChanged> flush() {
        List<GatewayEvent.CandidatesChanged> out = new ArrayList<>();
        byClient.forEach((client, c) -> {
            if (!c.added.isEmpty() || !c.removed.isEmpty()) {
                out.add(new GatewayEvent.CandidatesChanged(client, List.copyOf(c.added), List.copyOf(c.removed)));
            }
        });
        byClient.clear();
        return out;
    }

    public int size() {
        return byClient.size();
    }
}
