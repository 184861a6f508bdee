package zonegate.tunnel.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A simulated NAT (RFC 4787 terms, as in the node module's simulation): endpoint-independent mapping for
 * the cone types, address-and-port dependent for symmetric; filtering none (full cone), by address, or by
 * address and port.
 */
final class Nat {
    enum Type { FULL_CONE, ADDRESS_RESTRICTED, PORT_RESTRICTED, SYMMETRIC }

    final Type type;
    final InetAddress publicIp;
    private final Map<String, Integer> mappings = new HashMap<>();
    private final Map<Integer, InetSocketAddress> internalByPort = new HashMap<>();
    private final Map<Integer, Set<InetSocketAddress>> contacted = new HashMap<>();
    private int nextPort = 40000;

    Nat(Type type, InetAddress publicIp) {
        this.type = type;
        this.publicIp = publicIp;
    }

    /** Translates an outbound datagram's source, creating the mapping and the filter permission. */
    InetSocketAddress outbound(InetSocketAddress internal, InetSocketAddress destination) {
        String key = type == Type.SYMMETRIC ? internal + ">" + destination : internal.toString();
        int port = mappings.computeIfAbsent(key, k -> nextPort++);
        internalByPort.put(port, internal);
        contacted.computeIfAbsent(port, p -> new HashSet<>()).add(destination);
        return new InetSocketAddress(publicIp, port);
    }

    /** The public port of the mapping {@code internal} uses towards {@code destination}, or -1 when it has none. */
    int mappedPort(InetSocketAddress internal, InetSocketAddress destination) {
        Integer port = mappings.get(type == Type.SYMMETRIC ? internal + ">" + destination : internal.toString());
        return port == null ? -1 : port;
    }

    /** The internal address an inbound datagram to {@code external} from {@code source} goes to, or null if filtered. */
    InetSocketAddress inbound(InetSocketAddress external, InetSocketAddress source) {
        InetSocketAddress internal = internalByPort.get(external.getPort());
        if (internal == null) {
            return null;
        }
        Set<InetSocketAddress> peers = contacted.get(external.getPort());
        boolean allowed = switch (type) {
            case FULL_CONE -> true;
            case ADDRESS_RESTRICTED -> peers.stream().anyMatch(p -> p.getAddress().equals(source.getAddress()));
            case PORT_RESTRICTED, SYMMETRIC -> peers.contains(source);
        };
        return allowed ? internal : null;
    }
}
