package zonegate.controlplane;

import java.util.List;
import java.util.Objects;

/**
 * The values the portal's messages carry, as they are on the wire: addresses, keys and credentials are the
 * strings the JSON holds (checked for shape by the codec; what they mean is the receiver's to check, as it
 * maps them to its own types).
 */
public final class Wire {
    private Wire() {
    }

    /** ICE ufrag ({@code username}) and password of one side of a connection. */
    public record IceCredentials(String username, String password) {
        public IceCredentials {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "IceCredentials[username=" + username + "]";
        }
    }

    /**
     * The receiver's tunnel interface.
     *
     * @param upstreamDns DNS servers as {@code ip} or {@code ip:port} (clients; gateways ignore it)
     */
    public record Interface(String ipv4, String ipv6, List<String> upstreamDns) {
        public Interface {
            Objects.requireNonNull(ipv4, "ipv4");
            Objects.requireNonNull(ipv6, "ipv6");
            upstreamDns = List.copyOf(upstreamDns);
        }
    }

    /**
     * A TURN relay and the credentials the portal minted for the receiver.
     *
     * @param address {@code ip:port} ({@code [ip]:port} for IPv6)
     * @param expiresAtUnixSeconds when the credentials stop working
     */
    public record Relay(String id, String address, String username, String password, long expiresAtUnixSeconds) {
        public Relay {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Relay[" + id + ", " + address + ", username=" + username + "]";
        }
    }

    /**
     * One filter of a resource.
     *
     * @param protocol {@code tcp}, {@code udp} or {@code icmp} (ICMP has no ports: 0 and 0)
     */
    public record Filter(String protocol, int portRangeStart, int portRangeEnd) {
        public Filter {
            Objects.requireNonNull(protocol, "protocol");
        }
    }

    /**
     * A resource.
     *
     * @param type {@code cidr}, {@code dns} or {@code internet}
     * @param address the CIDR range or the DNS pattern; null for the Internet resource
     * @param siteId the site whose gateways serve it (null in messages to a gateway, which is in one site)
     * @param ipStack DNS resources: {@code dual}, {@code ipv4_only} or {@code ipv6_only}; null for the default
     */
    public record Resource(String type, String id, String name, String address, String siteId, String ipStack,
            List<Filter> filters) {
        public Resource {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            filters = List.copyOf(filters);
        }
    }

    /** A client as the portal describes it to a gateway (keys in base64). */
    public record Client(String id, String publicKey, String presharedKey, String ipv4, String ipv6) {
        public Client {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(ipv4, "ipv4");
            Objects.requireNonNull(ipv6, "ipv6");
        }

        @Override
        public String toString() {
            return "Client[" + id + ", publicKey=" + publicKey + ", " + ipv4 + ", " + ipv6 + "]";
        }
    }

    /**
     * One entry of a gateway's full authorisation list.
     *
     * @param expiresAtUnixSeconds the expiry, or null for none
     */
    public record Authorization(String clientId, String resourceId, Long expiresAtUnixSeconds) {
        public Authorization {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(resourceId, "resourceId");
        }
    }
}
