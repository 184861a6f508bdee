package zonegate.tunnel.internal.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import zonegate.filter.DnsPattern;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.ClientResource;

/**
 * The client's DNS resources, kept most specific pattern first ({@link DnsPattern#SPECIFICITY}), then by
 * resource id, so the resources matching a domain come out in routing order and the first one's
 * {@link zonegate.tunnel.IpStack} decides which families the stub answers. Linear in the number of resources.
 */
final class DnsResourceTable {
    private static final Comparator<Resource.Dns> ORDER = Comparator
            .comparing(Resource.Dns::pattern, DnsPattern.SPECIFICITY)
            .thenComparing(Resource.Dns::id);

    private List<ClientResource> sorted = List.of();

    /** Replaces the resources; entries whose resource is not a {@link Resource.Dns} are ignored. */
    void set(List<ClientResource> resources) {
        List<ClientResource> dns = new ArrayList<>();
        for (ClientResource r : resources) {
            if (r.resource() instanceof Resource.Dns) {
                dns.add(r);
            }
        }
        dns.sort(Comparator.comparing(r -> (Resource.Dns) r.resource(), ORDER));
        sorted = List.copyOf(dns);
    }

    /** The resources whose pattern matches {@code domain}, in routing order; empty when none does. */
    List<ClientResource> matching(String domain) {
        List<ClientResource> out = null;
        for (ClientResource r : sorted) {
            if (((Resource.Dns) r.resource()).pattern().matches(domain)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(r);
            }
        }
        return out == null ? List.of() : out;
    }

    /** The ids of {@link #matching}, in the same order. */
    List<ResourceId> matchingIds(String domain) {
        List<ResourceId> ids = new ArrayList<>();
        for (ClientResource r : matching(domain)) {
            ids.add(r.id());
        }
        return List.copyOf(ids);
    }

    int size() {
        return sorted.size();
    }
}
