package zonegate.app.embed;

import zonegate.app.spi.ClientSpec;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.wireguard.PresharedKey;

/**
 * A policy's copy with keys of its own: the gateway destroys the keys of every policy it applies, and the
 * application's key objects must stay usable (for its next policy).
 */
final class PolicyKeys {
    private PolicyKeys() {
    }

    static GatewayPolicy withOwnKeys(GatewayPolicy policy) {
        GatewaySettings g = policy.gateway();
        GatewaySettings settings = new GatewaySettings(g.privateKey().copy(), g.listenPort(), g.tunnelIpv4(),
                g.tunnelIpv6(), g.mtuBytes(), g.upstreamDns(), g.nat64Prefix(), g.publicEndpoint(), g.allowToGateway());
        return new GatewayPolicy(settings, policy.clients().stream()
                .map(c -> new ClientSpec(c.id(), c.publicKey(), c.ipv4(), c.ipv6(),
                        c.presharedKey().map(PresharedKey::copy), c.persistentKeepaliveSeconds()))
                .toList(), policy.resources(), policy.policies());
    }
}
