package zonegate.portal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import zonegate.controlplane.Tokens;
import zonegate.controlplane.Wire;

/**
 * Who may connect to the portal and who may reach what: the content of {@code portal.json}, already
 * validated (names unique, references resolved, client addresses inside the tunnel ranges). Tokens are
 * never held, only the lower-case hex SHA-256 of their UTF-8 bytes ({@link Tokens#sha256Hex}).
 *
 * @param sites the sites, each served by its gateways
 * @param gateways the gateways, each in one site
 * @param relays the relays
 * @param clients the clients with their fixed tunnel addresses
 * @param resources the resources, each with its {@link Wire.Resource#siteId()} set
 * @param policies which client may reach which resource, until when
 */
public record PortalPolicy(List<Site> sites, List<Gateway> gateways, List<Relay> relays, List<Client> clients,
        List<Wire.Resource> resources, List<Policy> policies) {
    public PortalPolicy {
        sites = List.copyOf(sites);
        gateways = List.copyOf(gateways);
        relays = List.copyOf(relays);
        clients = List.copyOf(clients);
        resources = List.copyOf(resources);
        policies = List.copyOf(policies);
        for (Wire.Resource r : resources) {
            Objects.requireNonNull(r.siteId(), () -> "resource " + r.id() + " has no site");
        }
    }

    /** The policy that lets nobody in. */
    public static PortalPolicy empty() {
        return new PortalPolicy(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** A site: {@code id} is its id on the wire, {@code name} for people. */
    public record Site(String id, String name) {
        public Site {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A gateway of site {@code siteId}; {@code name} is its identity and its {@code gateway_id}. */
    public record Gateway(String name, String siteId, String tokenSha256) {
        public Gateway {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(siteId, "siteId");
            Objects.requireNonNull(tokenSha256, "tokenSha256");
        }

        @Override
        public String toString() {
            return "Gateway[" + name + ", site=" + siteId + "]";
        }
    }

    /** A relay; {@code name} is its identity and its relay id. */
    public record Relay(String name, String tokenSha256) {
        public Relay {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(tokenSha256, "tokenSha256");
        }

        @Override
        public String toString() {
            return "Relay[" + name + "]";
        }
    }

    /** A client with its tunnel addresses (text, without prefix length); {@code name} is its {@code client_id}. */
    public record Client(String name, String tokenSha256, String ipv4, String ipv6) {
        public Client {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(tokenSha256, "tokenSha256");
            Objects.requireNonNull(ipv4, "ipv4");
            Objects.requireNonNull(ipv6, "ipv6");
        }

        @Override
        public String toString() {
            return "Client[" + name + ", " + ipv4 + ", " + ipv6 + "]";
        }
    }

    /**
     * Client {@code client} may reach resource {@code resourceId} until {@code expiresAtUnixSeconds}
     * (exclusive), or for ever when that is null.
     */
    public record Policy(String client, String resourceId, Long expiresAtUnixSeconds) {
        public Policy {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(resourceId, "resourceId");
        }
    }

    /**
     * The identity of the peer of {@code role} whose token this is: the configured name of the entity
     * whose {@code tokenSha256} it hashes to, or empty. Every entity of the role is compared (in constant
     * time each), so the time taken does not tell which one matched.
     */
    public Optional<String> identify(Role role, String token) {
        if (token == null) {
            return Optional.empty();
        }
        List<String[]> candidates = new ArrayList<>();
        switch (role) {
            case GATEWAY -> gateways.forEach(g -> candidates.add(new String[] {g.name(), g.tokenSha256()}));
            case CLIENT -> clients.forEach(c -> candidates.add(new String[] {c.name(), c.tokenSha256()}));
            case RELAY -> relays.forEach(r -> candidates.add(new String[] {r.name(), r.tokenSha256()}));
        }
        String found = null;
        for (String[] candidate : candidates) {
            if (Tokens.matches(token, candidate[1]) && found == null) {
                found = candidate[0];
            }
        }
        return Optional.ofNullable(found);
    }

    /** The token hash of the entity of {@code role} named {@code name}, or empty when there is none. */
    public Optional<String> tokenSha256Of(Role role, String name) {
        return switch (role) {
            case GATEWAY -> gateway(name).map(Gateway::tokenSha256);
            case CLIENT -> client(name).map(Client::tokenSha256);
            case RELAY -> relays.stream().filter(r -> r.name().equals(name)).findFirst().map(Relay::tokenSha256);
        };
    }

    /** The gateway named {@code name}. */
    public Optional<Gateway> gateway(String name) {
        return gateways.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** The client named {@code name}. */
    public Optional<Client> client(String name) {
        return clients.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The resource with this id. */
    public Optional<Wire.Resource> resource(String id) {
        return resources.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
