package zonegate.tunnel;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The proxy addresses a client's stub resolver has handed out, by domain, exported so a new session (after
 * sign-out and sign-in, or a reset) can be seeded with them and every name keeps its addresses for the life
 * of the process (the reference keeps them in a process-wide cache for the same reason).
 *
 * @param byDomain lower-case domain without a trailing dot -> its proxy addresses (4 IPv4 then 4 IPv6)
 */
public record DnsRecords(Map<String, List<InetAddress>> byDomain) {
    /** No records. */
    public static final DnsRecords EMPTY = new DnsRecords(Map.of());

    public DnsRecords {
        Objects.requireNonNull(byDomain, "byDomain");
        Map<String, List<InetAddress>> copy = new LinkedHashMap<>();
        byDomain.forEach((domain, proxies) -> copy.put(domain, List.copyOf(proxies)));
        byDomain = Map.copyOf(copy);
    }
}
