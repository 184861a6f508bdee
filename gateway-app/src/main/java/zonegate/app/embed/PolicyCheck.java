package zonegate.app.embed;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import zonegate.app.internal.controlplane.PolicyRules;
import zonegate.app.spi.ClientSpec;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.InterfaceAddress;
import zonegate.app.spi.PolicyProblem;
import zonegate.app.spi.PolicyRejection;
import zonegate.app.spi.ResourceSpec;
import zonegate.filter.Resource;
import zonegate.wireguard.PublicKey;

/**
 * The checks a configuration file's reader makes, for a policy built in code: the records check their own
 * fields, this checks what spans them. Problems name the value as a path ({@code clients[1].ipv4}).
 */
final class PolicyCheck {
    static final String SOURCE = "policy";
    /** RFC 6052 section 2.2: the only prefix lengths an IPv4-embedded IPv6 address may use. */
    private static final Set<Integer> NAT64_PREFIX_LENGTHS = Set.of(32, 40, 48, 56, 64, 96);

    private final List<PolicyProblem> problems = new ArrayList<>();

    private PolicyCheck() {
    }

    /** Throws unless {@code policy} could be the first policy of a gateway. */
    static void requireValid(GatewayPolicy policy) {
        PolicyCheck check = new PolicyCheck();
        check.gateway(policy.gateway());
        check.clients(policy.gateway(), policy.clients());
        check.resources(policy.gateway(), policy.resources());
        check.throwIfAny();
    }

    /**
     * Throws unless {@code next} is valid and keeps what a running gateway cannot change: its key, listen
     * port, tunnel addresses, MTU, NAT64 prefix and resolvers (all set up when it was opened).
     */
    static void requireApplicable(GatewayPolicy next, GatewaySettings running, PublicKey runningKey) {
        PolicyCheck check = new PolicyCheck();
        GatewaySettings g = next.gateway();
        check.same("gateway.privateKey", g.publicKey().equals(runningKey), "the gateway's key");
        check.same("gateway.listenPort", g.listenPort() == running.listenPort(), "the listen port");
        check.same("gateway.tunnelIpv4", g.tunnelIpv4().equals(running.tunnelIpv4()), "the IPv4 tunnel address");
        check.same("gateway.tunnelIpv6", g.tunnelIpv6().equals(running.tunnelIpv6()), "the IPv6 tunnel address");
        check.same("gateway.mtuBytes", g.mtuBytes() == running.mtuBytes(), "the MTU");
        check.same("gateway.nat64Prefix", g.nat64Prefix().equals(running.nat64Prefix()), "the NAT64 prefix");
        check.same("gateway.upstreamDns", g.upstreamDns().equals(running.upstreamDns()), "the upstream resolvers");
        check.clients(g, next.clients());
        check.resources(g, next.resources());
        check.throwIfAny();
    }

    private void gateway(GatewaySettings g) {
        if (g.listenPort() < 1 || g.listenPort() > 65535) {
            error("gateway.listenPort", g.listenPort() + " is not a UDP port (1..65535)");
        }
        if (g.mtuBytes() < 1280 || g.mtuBytes() > 65535) {
            error("gateway.mtuBytes", g.mtuBytes() + " is outside 1280..65535");
        }
        if (g.upstreamDns().isEmpty()) {
            error("gateway.upstreamDns", "needs at least one resolver");
        }
        if (!NAT64_PREFIX_LENGTHS.contains(g.nat64Prefix().prefixLengthBits())) {
            error("gateway.nat64Prefix", "a NAT64 prefix is an IPv6 /32, /40, /48, /56, /64 or /96 (RFC 6052), not "
                    + g.nat64Prefix());
        }
    }

    private void clients(GatewaySettings g, List<ClientSpec> clients) {
        PublicKey gatewayKey = g.publicKey();
        Map<PublicKey, Integer> keys = new HashMap<>();
        Map<InetAddress, Integer> addresses = new HashMap<>();
        for (int i = 0; i < clients.size(); i++) {
            ClientSpec c = clients.get(i);
            String at = "clients[" + i + "]";
            if (c.publicKey().equals(gatewayKey)) {
                error(at + ".publicKey", "is the gateway's own public key");
            }
            Integer first = keys.putIfAbsent(c.publicKey(), i);
            if (first != null) {
                error(at + ".publicKey", "public key already used by clients[" + first + "]");
            }
            address(at + ".ipv4", PolicyRules.clientAddressProblem(g.tunnelIpv4(), c.ipv4()), c.ipv4(), i, addresses);
            address(at + ".ipv6", PolicyRules.clientAddressProblem(g.tunnelIpv6(), c.ipv6()), c.ipv6(), i, addresses);
        }
    }

    private void address(String path, String problem, InetAddress address, int client, Map<InetAddress, Integer> seen) {
        if (problem != null) {
            error(path, problem);
            return;
        }
        Integer first = seen.putIfAbsent(address, client);
        if (first != null) {
            error(path, "address " + InterfaceAddress.text(address) + " already used by clients[" + first + "]");
        }
    }

    private void resources(GatewaySettings g, List<ResourceSpec> resources) {
        for (int i = 0; i < resources.size(); i++) {
            if (resources.get(i).resource() instanceof Resource.CidrRange(var id, var cidr)) {
                String problem = PolicyRules.cidrResourceProblem(cidr, Optional.of(g));
                if (problem != null) {
                    error("resources[" + i + "].cidr", problem);
                }
            }
        }
    }

    private void same(String path, boolean same, String what) {
        if (!same) {
            error(path, what + " differs from the running gateway's: it cannot change without a new open()");
        }
    }

    private void error(String path, String reason) {
        problems.add(new PolicyProblem(SOURCE, 0, 0, path, reason));
    }

    private void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(new PolicyRejection(SOURCE, problems));
        }
    }
}
