package zonegate.filter;

import java.util.Objects;

/**
 * Something a client may be authorised to reach: an address range, a DNS name or pattern, or the
 * Internet. Every resource has an {@link ResourceId id}; a client holds at most one authorisation per
 * id.
 */
public sealed interface Resource {
    /** The resource's id (logged as {@code rid}). */
    ResourceId id();

    /** An IPv4 or IPv6 address range. */
    record CidrRange(ResourceId id, Cidr cidr) implements Resource {
        public CidrRange {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(cidr, "cidr");
        }
    }

    /**
     * A DNS name or pattern ({@link DnsPattern}). Packets for it are decided by domain (the gateway's
     * DNS-resource NAT knows which domain a proxy address stands for), never by address.
     */
    record Dns(ResourceId id, DnsPattern pattern) implements Resource {
        public Dns {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /**
     * The Internet: {@code 0.0.0.0/0} and {@code ::/0} minus {@link InternetExclusions what must never
     * be reached through it}. As a routing-table entry it has prefix length 0, so every CIDR resource
     * containing a destination beats it.
     */
    record Internet(ResourceId id) implements Resource {
        public Internet {
            Objects.requireNonNull(id, "id");
        }
    }
}
