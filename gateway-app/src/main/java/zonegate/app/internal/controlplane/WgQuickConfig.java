package zonegate.app.internal.controlplane;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import zonegate.app.spi.ClientSpec;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.InterfaceAddress;
import zonegate.app.spi.PublicEndpoint;
import zonegate.filter.Authorization;
import zonegate.filter.Resource;
import zonegate.wireguard.PrivateKey;

/**
 * A stock WireGuard client's {@code wg-quick} file for one client of a {@link GatewayPolicy}.
 *
 * <p>{@code AllowedIPs} routes through the tunnel what the client may reach: the ranges of its CIDR
 * resources; the DNS-resource proxy ranges if it has a DNS resource; the gateway's tunnel addresses,
 * because the gateway answers DNS there ({@code DNS =}); and everything ({@code 0.0.0.0/0, ::/0}) if
 * it has the Internet resource. Expired grants are left out.
 */
public final class WgQuickConfig {
    private static final String PRIVATE_KEY_PLACEHOLDER = "<paste the client's private key>";

    private WgQuickConfig() {}

    /**
     * The file's text. {@code privateKey}, if given, fills in {@code PrivateKey}; otherwise a
     * placeholder and a comment say what to paste (the gateway only knows the client's public key).
     *
     * @throws IllegalArgumentException if the gateway has no public endpoint
     */
    public static String render(GatewayPolicy policy, ClientSpec client, Optional<PrivateKey> privateKey,
            long nowUnixSeconds) {
        GatewaySettings gateway = policy.gateway();
        PublicEndpoint endpoint = gateway.publicEndpoint().orElseThrow(() -> new IllegalArgumentException(
                "the configuration has no gateway.publicEndpoint (host:port clients connect to)"));
        StringBuilder text = new StringBuilder();
        text.append("# wg-quick configuration of zonegate client \"").append(client.id()).append("\"\n");
        text.append("[Interface]\n");
        if (privateKey.isPresent()) {
            text.append("PrivateKey = ").append(privateKey.get().toBase64()).append('\n');
        } else {
            text.append("# The gateway knows only this client's public key: replace the placeholder with the\n");
            text.append("# client's private key (the one whose public key is ").append(client.publicKey().toBase64())
                    .append(").\n");
            text.append("PrivateKey = ").append(PRIVATE_KEY_PLACEHOLDER).append('\n');
        }
        text.append("Address = ").append(InterfaceAddress.hostCidr(client.ipv4())).append(", ")
                .append(InterfaceAddress.hostCidr(client.ipv6())).append('\n');
        text.append("DNS = ").append(InterfaceAddress.text(gateway.tunnelIpv4().address())).append(", ")
                .append(InterfaceAddress.text(gateway.tunnelIpv6().address())).append('\n');
        text.append("MTU = ").append(gateway.mtuBytes()).append('\n');
        text.append('\n');
        text.append("[Peer]\n");
        text.append("PublicKey = ").append(gateway.publicKey().toBase64()).append('\n');
        client.presharedKey().ifPresent(psk -> text.append("PresharedKey = ").append(psk.toBase64()).append('\n'));
        text.append("Endpoint = ").append(endpoint).append('\n');
        text.append("AllowedIPs = ").append(String.join(", ", allowedIps(policy, client, nowUnixSeconds))).append('\n');
        if (client.persistentKeepaliveSeconds() > 0) {
            text.append("PersistentKeepalive = ").append(client.persistentKeepaliveSeconds()).append('\n');
        }
        return text.toString();
    }

    /** The {@code AllowedIPs} entries, in a stable order without repeats. */
    static List<String> allowedIps(GatewayPolicy policy, ClientSpec client, long nowUnixSeconds) {
        Set<String> ranges = new LinkedHashSet<>();
        boolean dns = false;
        boolean internet = false;
        for (Authorization authorization : policy.authorizationsFor(client.id())) {
            if (nowUnixSeconds >= authorization.expiresAtUnixSeconds()) {
                continue;
            }
            switch (authorization.resource()) {
                case Resource.CidrRange range -> ranges.add(range.cidr().toString());
                case Resource.Dns _ -> dns = true;
                case Resource.Internet _ -> internet = true;
            }
        }
        if (dns) {
            ResourcesSection.DNS_PROXY_RANGES.forEach(range -> ranges.add(range.toString()));
        }
        ranges.add(policy.gateway().tunnelIpv4().host().toString());
        ranges.add(policy.gateway().tunnelIpv6().host().toString());
        if (internet) {
            ranges.add("0.0.0.0/0");
            ranges.add("::/0");
        }
        return new ArrayList<>(ranges);
    }
}
