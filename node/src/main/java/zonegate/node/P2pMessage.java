package zonegate.node;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A peer-to-peer control message, carried inside the WireGuard tunnel ({@link P2pControl} frames it).
 * Messages are unreliable and idempotent: senders repeat them.
 */
public sealed interface P2pMessage {

    /** The wire type byte. */
    int type();

    /**
     * Client to gateway: the proxy addresses the client assigned to a DNS resource's domain (type 0).
     *
     * @param proxyIps at most {@value #MAX_PROXY_IPS} addresses (the reference sends 4 IPv4 + 4 IPv6)
     */
    record AssignedIps(UUID resource, String domain, List<InetAddress> proxyIps) implements P2pMessage {
        /** Most proxy addresses in one message. */
        public static final int MAX_PROXY_IPS = 8;

        public AssignedIps {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(domain, "domain");
            proxyIps = List.copyOf(proxyIps);
            if (proxyIps.size() > MAX_PROXY_IPS) {
                throw new IllegalArgumentException("at most " + MAX_PROXY_IPS + " proxy addresses");
            }
        }

        @Override
        public int type() {
            return P2pControl.TYPE_ASSIGNED_IPS;
        }
    }

    /**
     * Gateway to client: whether the gateway set up the NAT for a DNS resource's domain (type 1). An
     * unknown status string decodes as inactive.
     */
    record DomainStatus(UUID resource, String domain, boolean active) implements P2pMessage {
        public DomainStatus {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(domain, "domain");
        }

        @Override
        public int type() {
            return P2pControl.TYPE_DOMAIN_STATUS;
        }
    }

    /** Either way: the sender closed the connection (type 2, empty body). */
    record Goodbye() implements P2pMessage {
        @Override
        public int type() {
            return P2pControl.TYPE_GOODBYE;
        }
    }
}
