package zonegate.tunnel.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zonegate.filter.ClientId;
import zonegate.ice.Candidate;
import zonegate.ice.CandidateType;
import zonegate.tunnel.GatewayEvent;

/**
 * ICE mode: candidate changes made while the control plane is disconnected, merged per client (a
 * candidate added then removed cancels out), to be flushed on reconnect. Bounded by the number of clients
 * times the candidates a connection has (a few per relay and socket).
 *
 * <p>A candidate is identified by its type and address, as the node and the peer identify it: the node
 * withdraws the copy it made, whose priority may differ from the one the ICE agent kept and signalled.
 */
public final class HeldCandidates {
    private record Key(CandidateType type, InetSocketAddress address) {
        static Key of(Candidate c) {
            return new Key(c.type(), c.address());
        }
    }

    private static final class Change {
        final Map<Key, Candidate> added = new LinkedHashMap<>();
        final Map<Key, Candidate> removed = new LinkedHashMap<>();
    }

    private final Map<ClientId, Change> byClient = new LinkedHashMap<>();

    public void hold(ClientId client, List<Candidate> added, List<Candidate> removed) {
        Change c = byClient.computeIfAbsent(client, k -> new Change());
        for (Candidate a : added) {
            c.removed.remove(Key.of(a));
            c.added.put(Key.of(a), a);
        }
        for (Candidate r : removed) {
            if (c.added.remove(Key.of(r)) == null) {
                c.removed.put(Key.of(r), r);
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
                out.add(new GatewayEvent.CandidatesChanged(client, List.copyOf(c.added.values()),
                        List.copyOf(c.removed.values())));
            }
        });
        byClient.clear();
        return out;
    }

    public int size() {
        return byClient.size();
    }
}
