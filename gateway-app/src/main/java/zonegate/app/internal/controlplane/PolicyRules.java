package zonegate.app.internal.controlplane;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.InterfaceAddress;
import zonegate.filter.Cidr;

/**
 * The rules a policy must keep beyond what its records check, shared by the configuration file's reader and
 * the embedding API's check of a policy built in code. Each returns the reason a value breaks a rule, in the
 * words an operator reads, or null when it keeps it.
 */
public final class PolicyRules {
    private PolicyRules() {
    }

    /** Why {@code address} cannot be a client's address in the tunnel range of {@code gateway}, or null. */
    public static String clientAddressProblem(InterfaceAddress gateway, InetAddress address) {
        String text = InterfaceAddress.text(address);
        if (!gateway.contains(address)) {
            return text + " is outside the tunnel range " + gateway.range();
        }
        if (gateway.address().equals(address)) {
            return text + " is the gateway's own tunnel address";
        }
        Cidr host = InterfaceAddress.hostCidr(address);
        Cidr range = gateway.range();
        if ((host.high() == range.high() && host.low() == range.low())
                || (gateway.version() == 4 && host.low() == range.lastLow())) {
            return text + " is the network or broadcast address of the tunnel range " + gateway.range();
        }
        return null;
    }

    /**
     * Why {@code cidr} cannot be a CIDR resource: it overlaps the DNS-resource proxy ranges or, when the
     * gateway's settings are known, its tunnel ranges. Null when it overlaps neither.
     */
    public static String cidrResourceProblem(Cidr cidr, Optional<GatewaySettings> gateway) {
        List<Cidr> reserved = new ArrayList<>(ResourcesSection.DNS_PROXY_RANGES);
        gateway.ifPresent(g -> {
            reserved.add(g.tunnelIpv4().range());
            reserved.add(g.tunnelIpv6().range());
        });
        for (Cidr range : reserved) {
            if (AddressText.overlap(cidr, range)) {
                String kind = ResourcesSection.DNS_PROXY_RANGES.contains(range)
                        ? "the DNS-resource proxy range " : "the tunnel range ";
                return cidr + " overlaps " + kind + range;
            }
        }
        return null;
    }
}
