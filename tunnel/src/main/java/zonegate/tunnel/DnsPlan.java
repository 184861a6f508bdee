package zonegate.tunnel;

import java.util.List;
import zonegate.filter.ResourceId;

/** How the shell's DNS server should answer a client's query: from {@link GatewayState#planDnsQuery}. */
public sealed interface DnsPlan {
    /**
     * The name is one of the client's DNS resources: resolve it, then answer with the proxy addresses
     * {@link GatewayState#assignDnsProxies} gives for it.
     *
     * @param domain the normalised name (lower case, no trailing dot)
     * @param resources the matching resources, most specific first
     */
    record Resource(String domain, List<ResourceId> resources) implements DnsPlan {
        public Resource {
            resources = List.copyOf(resources);
        }
    }

    /** Not a DNS resource, but the client may use the Internet resource: forward to the upstream resolvers. */
    record Forward() implements DnsPlan {
    }

    /** Neither: answer REFUSED. */
    record Refuse() implements DnsPlan {
    }

    /** The query's source is no client's tunnel address: answer REFUSED (or drop). */
    record UnknownClient() implements DnsPlan {
    }
}
