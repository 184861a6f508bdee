package zonegate.tunnel.internal;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tinylog.Logger;
import zonegate.filter.ClientId;

/**
 * One log line per refused DNS answer: WARN the first time for a (client, domain), since a resolver that
 * answers a resource's name with such an address is misconfigured or hostile and the operator should
 * look; DEBUG for repeats. Remembers the last {@value #MAX_KEYS} pairs (older ones may warn again).
 */
final class DnsRefusalLog {
    static final int MAX_KEYS = 1024;

    private record Key(ClientId client, String domain) {
    }

    private final Map<Key, Boolean> warned = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > MAX_KEYS;
        }
    };

    void refused(ClientId client, String domain, InetAddress target, String why) {
        boolean first = warned.put(new Key(client, domain), Boolean.TRUE) == null;
        String line = "cid={} DNS answer for {} refused (no translation: SERVFAIL, or DomainStatus inactive in ICE mode): {} is {}"
                + " and no CIDR resource of the client"
                + " covers it";
        if (first) {
            Logger.warn(line + "; repeats for this name at DEBUG", client, domain, target.getHostAddress(), why);
        } else {
            Logger.debug(line, client, domain, target.getHostAddress(), why);
        }
    }
}
