package zonegate.tunnel.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zonegate.node.Node;
import zonegate.node.TurnServer;

/**
 * The relays a node uses, as the control plane last listed them: a full list ({@link #replace}) becomes
 * the additions and removals the node needs (a relay whose credentials changed is removed and added).
 */
public final class RelaySet {
    private final Map<InetSocketAddress, TurnServer> relays = new LinkedHashMap<>();

    /** Makes the node's relays exactly {@code wanted}. */
    public void replace(Node node, List<TurnServer> wanted, long nowNs) {
        Map<InetSocketAddress, TurnServer> byAddress = new LinkedHashMap<>();
        wanted.forEach(t -> byAddress.put(t.address(), t));
        List<InetSocketAddress> remove = new ArrayList<>();
        relays.forEach((address, t) -> {
            if (!t.equals(byAddress.get(address))) {
                remove.add(address);
            }
        });
        List<TurnServer> add = byAddress.values().stream().filter(t -> !t.equals(relays.get(t.address()))).toList();
        update(node, add, remove, nowNs);
    }

    /** Adds and removes relays. */
    public void update(Node node, List<TurnServer> add, List<InetSocketAddress> remove, long nowNs) {
        remove.forEach(relays::remove);
        add.forEach(t -> relays.put(t.address(), t));
        node.updateRelays(add, remove, nowNs);
    }

    public int size() {
        return relays.size();
    }
}
