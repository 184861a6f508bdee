package zonegate.tunnel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.ClientFilter;
import zonegate.filter.ClientId;
import zonegate.filter.FilterConfig;
import zonegate.filter.FilterEngine;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;

class DnsTargetPolicyTest {
    private static final long NOW_SECONDS = 1_700_000_000L;

    private final ClientFilter client = new FilterEngine(FilterConfig.DEFAULT,
            InstantSource.fixed(Instant.ofEpochSecond(NOW_SECONDS)))
            .upsertClient(ClientId.of("c"), TunnelAddresses.of("100.64.0.9", "fd00:2021:1111::9"), 0);
    private final DnsTargetPolicy policy = new DnsTargetPolicy(
            List.of(ip("100.64.0.1"), ip("fd00:2021:1111::1")),
            List.of(Cidr.parse("192.0.2.10/32"), Cidr.parse("2001:db8:1::10/128")));

    @Test
    void theHostsOwnAddressesGivenAsExtraRangesAreRefused() {
        assertThat(policy.refusal(ip("192.0.2.10"), client, NOW_SECONDS)).isEqualTo("a refused range (192.0.2.10/32)");
        assertThat(policy.refusal(ip("2001:db8:1::10"), client, NOW_SECONDS)).startsWith("a refused range");
        assertThat(policy.refusal(ip("192.0.2.11"), client, NOW_SECONDS)).isNull();
    }

    @Test
    void theGatewaysOwnTunnelAddressIsNamedAsSuch() {
        assertThat(policy.refusal(ip("100.64.0.1"), client, NOW_SECONDS)).isEqualTo("the gateway's own address");
        assertThat(policy.refusal(ip("100.64.0.2"), client, NOW_SECONDS)).isEqualTo("in the tunnel range");
    }

    @Test
    void onlyACidrResourceCoversAnAddressNotTheInternetResource() {
        client.replaceAll(List.of(Authorization.permanent(new Resource.Internet(ResourceId.of("net")), List.of())), 0);
        assertThat(policy.refusal(ip("192.0.2.10"), client, NOW_SECONDS)).isNotNull();

        client.replaceAll(List.of(Authorization.permanent(
                new Resource.CidrRange(ResourceId.of("host"), Cidr.parse("192.0.2.0/24")), List.of())), 0);
        assertThat(policy.refusal(ip("192.0.2.10"), client, NOW_SECONDS)).isNull();
        assertThat(policy.refusal(ip("127.0.0.1"), client, NOW_SECONDS)).isEqualTo("loopback");
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
