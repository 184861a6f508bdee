package zonegate.tunnel;

import java.util.List;
import zonegate.filter.Cidr;

/**
 * The DNS-resource settings of a {@link GatewayConfig}.
 *
 * <p><b>Reclaiming proxy addresses.</b> When a client's proxy pool ({@link GatewayConfig#maxDomainsPerClient()}
 * domains) is full, a new name takes the addresses of the least recently used domain that has no live
 * NAT flow and was last used (answered, or a packet translated either way) more than
 * {@code proxyQuarantineNs} ago. The gateway answers with a TTL of 1 s, but stub resolvers, browsers and
 * applications keep answers longer (a minute is common); a client that still holds the old answer would
 * otherwise reach the new name's resource through an address it got for the old one. The quarantine
 * makes that require ignoring the TTL by more than the quarantine.
 *
 * <p><b>Refused targets.</b> An upstream answer that contains an address in a refused range is refused
 * whole (see {@link GatewayState#assignDns}): besides the built-in ranges (tunnel and proxy ranges,
 * loopback, link-local, unspecified, multicast, broadcast, the gateway's tunnel addresses),
 * {@code refusedTargets} adds the host's own addresses, which the shell knows and the state machine
 * does not.
 *
 * @param proxyQuarantineNs how long a domain must be unused before its proxy addresses go to another
 *     name, 1 s to 1 day
 * @param refusedTargets further ranges no DNS resource may be translated to, unless a CIDR resource of
 *     the client covers the address
 */
public record DnsResourceConfig(long proxyQuarantineNs, List<Cidr> refusedTargets) {
    /** 60 s: well beyond the 1 s TTL of proxy answers and the minute that resolver caches commonly keep. */
    public static final long DEFAULT_PROXY_QUARANTINE_NS = 60_000_000_000L;
    public static final long MIN_PROXY_QUARANTINE_NS = 1_000_000_000L;
    public static final long MAX_PROXY_QUARANTINE_NS = 86_400_000_000_000L;
    /** A 60 s quarantine and no extra refused ranges. */
    public static final DnsResourceConfig DEFAULT = new DnsResourceConfig(DEFAULT_PROXY_QUARANTINE_NS, List.of());

    public DnsResourceConfig {
        refusedTargets = List.copyOf(refusedTargets);
        if (proxyQuarantineNs < MIN_PROXY_QUARANTINE_NS || proxyQuarantineNs > MAX_PROXY_QUARANTINE_NS) {
            throw new IllegalArgumentException("proxy quarantine must be 1 s to 1 day, not " + proxyQuarantineNs
                    + " ns");
        }
    }

    /** These settings with other extra refused ranges. */
    public DnsResourceConfig withRefusedTargets(List<Cidr> ranges) {
        return new DnsResourceConfig(proxyQuarantineNs, ranges);
    }

    /** These settings with another quarantine. */
    public DnsResourceConfig withProxyQuarantineNs(long quarantineNs) {
        return new DnsResourceConfig(quarantineNs, refusedTargets);
    }
}
