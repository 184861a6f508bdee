package zonegate.app.internal.portal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;
import zonegate.app.internal.portal.WireMapping.Mapped;
import zonegate.controlplane.Wire;
import zonegate.node.TurnServer;

/**
 * The relays the portal named, by id: the portal withdraws a relay by its id, the state machines by its
 * address, so a driver keeps the one to find the other. Relays whose address does not map are logged and
 * skipped. State thread only.
 */
public final class PortalRelays {
    /** Relays remembered by id; the portal names a handful. */
    static final int MAX_RELAYS = 256;

    /** What a {@code relays_presence} asks of the state machine. */
    public record Change(List<TurnServer> add, List<InetSocketAddress> remove) {
    }

    private final Map<String, InetSocketAddress> byId = new HashMap<>();

    /** An {@code init}'s full list: the relays to give the state machine (it drops the others). */
    public List<TurnServer> replace(List<Wire.Relay> relays) {
        byId.clear();
        return remember(relays);
    }

    /** A {@code relays_presence}: the relays connected (or renewed) and the addresses of those gone. */
    public Change presence(List<String> disconnectedIds, List<Wire.Relay> connected) {
        List<InetSocketAddress> remove = new ArrayList<>();
        for (String id : disconnectedIds) {
            InetSocketAddress address = byId.remove(id);
            if (address != null) {
                remove.add(address);
            }
        }
        return new Change(remember(connected), remove);
    }

    /** How many relays are known. */
    public int size() {
        return byId.size();
    }

    private List<TurnServer> remember(List<Wire.Relay> relays) {
        List<TurnServer> mapped = new ArrayList<>(relays.size());
        for (Wire.Relay r : relays) {
            switch (WireMapping.relay(r)) {
                case Mapped.Valid<TurnServer>(TurnServer relay) -> {
                    mapped.add(relay);
                    if (byId.size() < MAX_RELAYS || byId.containsKey(r.id())) {
                        byId.put(r.id(), relay.address());
                    }
                }
                case Mapped.Invalid<TurnServer>(String reason) -> Logger.warn("the portal sent a bad relay: {}", reason);
            }
        }
        return mapped;
    }
}
