package zonegate.app.internal.status;

import java.util.List;
import java.util.Objects;

/**
 * What {@code zonegate status} shows: the process's interface (or listen sockets), its clients, relays and
 * allocations, and its drop counters, as collected on the state thread at one instant. Only public material:
 * public keys, addresses, counters; never a private, preshared or session key, an ICE or TURN password, or a
 * token (the collectors never read them, and {@code StatusSecretsTest} checks the output).
 *
 * @param role {@code gateway} or {@code relay}
 * @param collectedAtUnixMs the wall-clock time of the collection (the asking thread's clock)
 * @param self the process's own identity and sockets
 * @param clients the gateway's clients, in the order they were added (empty for a relay)
 * @param relays ICE mode: the relays the gateway holds allocations on (empty otherwise)
 * @param allocations the relay's live allocations (empty for a gateway)
 * @param drops every drop counter with a nonzero total, by source and reason
 */
public record StatusReport(String role, long collectedAtUnixMs, Self self, List<Client> clients, List<Relay> relays,
        List<Allocation> allocations, List<DropTotal> drops) {
    public StatusReport {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(self, "self");
        clients = List.copyOf(clients);
        relays = List.copyOf(relays);
        allocations = List.copyOf(allocations);
        drops = List.copyOf(drops);
    }

    /** This report with {@code extra} drop counters appended (the event loop's, read off the state thread). */
    public StatusReport withDrops(List<DropTotal> extra) {
        List<DropTotal> all = new java.util.ArrayList<>(drops);
        all.addAll(extra);
        return new StatusReport(role, collectedAtUnixMs, self, clients, relays, allocations, all);
    }

    /** This report with another {@link Self} (the shell adds what it knows: the interface, the listen sockets). */
    public StatusReport withSelf(Self other) {
        return new StatusReport(role, collectedAtUnixMs, other, clients, relays, allocations, drops);
    }

    /**
     * The process itself, like {@code wg show}'s interface block.
     *
     * @param mode {@code static}, {@code ice} or {@code relay}
     * @param interfaceName the TUN device, or null (a relay)
     * @param publicKey the gateway's WireGuard public key (base64), or null (a relay)
     * @param listen the UDP sockets it receives on ({@code 0.0.0.0:51820}, ...)
     * @param tunnelAddresses the gateway's tunnel addresses with their prefixes, empty before the portal's init
     */
    public record Self(String mode, String interfaceName, String publicKey, List<String> listen,
            List<String> tunnelAddresses) {
        public Self {
            Objects.requireNonNull(mode, "mode");
            listen = List.copyOf(listen);
            tunnelAddresses = List.copyOf(tunnelAddresses);
        }

        /** This with the TUN device's name. */
        public Self withInterfaceName(String name) {
            return new Self(mode, name, publicKey, listen, tunnelAddresses);
        }

        /** This with other listen sockets. */
        public Self withListen(List<String> sockets) {
            return new Self(mode, interfaceName, publicKey, sockets, tunnelAddresses);
        }
    }

    /**
     * One client of the gateway.
     *
     * @param id the client's id ({@code cid}; the name in static mode)
     * @param publicKey its WireGuard public key (base64)
     * @param tunnelAddresses its IPv4 and IPv6 tunnel addresses
     * @param endpoint its address and port as last seen, or null
     * @param latestHandshakeAgoMs milliseconds since its latest WireGuard handshake, or -1 for never
     * @param rxBytes transport bytes received from it
     * @param txBytes transport bytes sent to it
     * @param resources what it may reach
     * @param natFlows live DNS-resource NAT flows
     * @param connection ICE mode: its connection, or null
     */
    public record Client(String id, String publicKey, List<String> tunnelAddresses, String endpoint,
            long latestHandshakeAgoMs, long rxBytes, long txBytes, List<Resource> resources, int natFlows,
            Connection connection) {
        public Client {
            Objects.requireNonNull(id, "id");
            tunnelAddresses = List.copyOf(tunnelAddresses);
            resources = List.copyOf(resources);
        }
    }

    /**
     * One authorised resource.
     *
     * @param kind {@code cidr}, {@code dns} or {@code internet}
     * @param address the range or DNS pattern, or null for the Internet
     * @param expiresAtUnixSeconds when the authorisation ends, or -1 for never
     */
    public record Resource(String id, String kind, String address, long expiresAtUnixSeconds) {
    }

    /**
     * ICE mode: a client's connection.
     *
     * @param state {@code connecting}, {@code connected} or {@code idle}
     * @param path {@code direct}, {@code relayed} or null before nomination
     * @param local the nominated pair's local candidate ({@code type address:port}), or null
     * @param remote the nominated pair's remote candidate, or null
     * @param relay the relay sampled for this connection, or null
     */
    public record Connection(String state, String path, String local, String remote, String relay) {
    }

    /**
     * ICE mode: a relay and the gateway's allocation on it.
     *
     * @param relayed the gateway's relayed addresses there (empty until allocated)
     * @param rttMs the smoothed round-trip time, or -1 before the first answer
     * @param suspect a consent check through it went unanswered (not sampled for new connections)
     */
    public record Relay(String server, List<String> relayed, long rttMs, boolean suspect) {
        public Relay {
            relayed = List.copyOf(relayed);
        }
    }

    /**
     * The relay's view of one allocation.
     *
     * @param username the TURN username that made it (no password)
     * @param client the client's transport address
     * @param relayed the relayed transport address
     */
    public record Allocation(String username, String client, String relayed, int permissions, int channels,
            long bytesToPeers, long bytesToClient) {
    }

    /**
     * A drop counter.
     *
     * @param source {@code gateway}, {@code wireguard}, {@code node}, {@code relay} or {@code loop}
     * @param reason the counter's name, lower case
     * @param total since the process started
     */
    public record DropTotal(String source, String reason, long total) {
        /** {@code source.reason}, the key of {@link DropWindow}'s samples. */
        public String key() {
            return source + "." + reason;
        }
    }
}
