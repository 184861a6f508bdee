package zonegate.tunnel;

import java.util.List;
import java.util.Objects;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;

/**
 * A resource as the control plane describes it to a client: what it is ({@link Resource}: a CIDR range, a
 * DNS name or pattern, or the Internet), its display name, the site whose gateways serve it, and the
 * filters the client applies before sending (a denied packet gets ICMP administratively prohibited
 * locally; the gateway enforces the same filters again).
 *
 * @param resource the kind and address; its id is the resource's id ({@code rid} in logs). DNS resources
 *     used in ICE mode need a UUID id (it travels in the peer-to-peer AssignedIps message)
 * @param name display name
 * @param siteId the site whose gateways serve it
 * @param filters what may be sent; empty permits everything (copied)
 * @param ipStack DNS resources: which families the stub resolver answers; ignored for the others
 */
public record ClientResource(Resource resource, String name, String siteId, List<Filter> filters, IpStack ipStack) {
    public ClientResource {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(siteId, "siteId");
        filters = List.copyOf(filters);
        ipStack = ipStack == null ? IpStack.DUAL : ipStack;
    }

    /** The resource's id. */
    public ResourceId id() {
        return resource.id();
    }
}
