package zonegate.example.embedded;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import zonegate.app.spi.AccessPolicy;
import zonegate.app.spi.ClientSpec;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.ResourceSpec;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.ClientId;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.wireguard.PrivateKey;

/**
 * The example's policies, built in code: one client ({@code alice}, 100.64.0.2 and fd00:2021:1111::2) and
 * the resources of the options. {@link #initial} grants the first resource; {@link #changed} revokes it and
 * grants the second, if there is one. Both list both resources (a resource nobody is granted is harmless).
 */
final class ExamplePolicies {
    static final ClientId CLIENT = ClientId.of("alice");
    static final ResourceId FIRST = ResourceId.of("first");
    static final ResourceId THEN = ResourceId.of("then");

    private final GatewaySettings settings;
    private final ClientSpec client;
    private final List<ResourceSpec> resources = new ArrayList<>();

    ExamplePolicies(ExampleOptions options, PrivateKey gatewayKey) {
        settings = GatewaySettings.of(gatewayKey, options.port(), List.of(options.upstreamDns()));
        client = new ClientSpec(CLIENT, options.clientKey(), (Inet4Address) InetAddress.ofLiteral("100.64.0.2"),
                (Inet6Address) InetAddress.ofLiteral("fd00:2021:1111::2"), Optional.empty(), 0);
        resources.add(cidr(FIRST, options.resource()));
        options.thenResource().ifPresent(range -> resources.add(cidr(THEN, range)));
    }

    /** The client may reach the first resource. */
    GatewayPolicy initial() {
        return policy(List.of(new AccessPolicy(CLIENT, FIRST, Authorization.NEVER)));
    }

    /** The first resource is revoked; the second, if given, is granted. */
    GatewayPolicy changed() {
        return policy(resources.size() > 1 ? List.of(new AccessPolicy(CLIENT, THEN, Authorization.NEVER)) : List.of());
    }

    private GatewayPolicy policy(List<AccessPolicy> grants) {
        return new GatewayPolicy(settings, List.of(client), resources, grants);
    }

    /** No filters: every protocol and port of the range. */
    private static ResourceSpec cidr(ResourceId id, Cidr range) {
        return new ResourceSpec(new Resource.CidrRange(id, range), id.value(), List.of());
    }
}
