package zonegate.app.embed;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import zonegate.app.spi.AccessPolicy;
import zonegate.app.spi.ClientSpec;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.ResourceSpec;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.ClientId;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.wireguard.PrivateKey;

/** Policies built in code, as an embedding application builds them; keys from a seeded generator. */
final class TestPolicies {
    private final SplittableRandom random;
    final PrivateKey gatewayKey;

    TestPolicies(long seed) {
        random = new SplittableRandom(seed);
        gatewayKey = PrivateKey.generate(secureRandom());
    }

    GatewaySettings settings(int listenPort) {
        return GatewaySettings.of(gatewayKey, listenPort, List.of(InetAddress.ofLiteral("192.0.2.53")));
    }

    ClientSpec client(String name, int host) {
        return new ClientSpec(ClientId.of(name), PrivateKey.generate(secureRandom()).publicKey(),
                (Inet4Address) InetAddress.ofLiteral("100.64.0." + host),
                (Inet6Address) InetAddress.ofLiteral("fd00:2021:1111::" + host), Optional.empty(), 0);
    }

    static ResourceSpec cidr(String id, String range) {
        return new ResourceSpec(new Resource.CidrRange(ResourceId.of(id), Cidr.parse(range)), id,
                List.of(new Filter.Icmp()));
    }

    static AccessPolicy grant(ClientSpec client, ResourceSpec resource) {
        return new AccessPolicy(client.id(), resource.id(), Authorization.NEVER);
    }

    /** One client granted one resource. */
    GatewayPolicy simple(int listenPort, List<ClientSpec> clients) {
        ResourceSpec resource = cidr("site", "192.0.2.0/24");
        return new GatewayPolicy(settings(listenPort), clients, List.of(resource),
                clients.stream().map(c -> grant(c, resource)).toList());
    }

    private SecureRandom secureRandom() {
        long seed = random.nextLong();
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;
            private final SplittableRandom r = new SplittableRandom(seed);

            @Override
            public void nextBytes(byte[] bytes) {
                r.nextBytes(bytes);
            }
        };
    }
}
