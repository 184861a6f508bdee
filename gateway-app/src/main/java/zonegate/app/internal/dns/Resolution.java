package zonegate.app.internal.dns;

import java.net.InetAddress;
import java.util.List;

/** What {@link UpstreamResolver#resolve} found for a name's A and AAAA records. Switch over it exhaustively. */
public sealed interface Resolution {
    /**
     * The name's addresses, IPv4 first (the A answer's), then IPv6; never empty.
     *
     * @param ttlSeconds the smallest TTL among the records that gave them
     */
    record Addresses(List<InetAddress> addresses, long ttlSeconds) implements Resolution {
        public Addresses {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("no addresses: use NoAddresses");
            }
        }
    }

    /** The upstream answered, but with no address: NXDOMAIN, or NODATA for both types. */
    record NoAddresses(boolean nxDomain) implements Resolution {
    }

    /** No usable answer. */
    record Failed(UpstreamFailure reason) implements Resolution {
    }
}
