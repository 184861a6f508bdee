package zonegate.app.internal.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.app.internal.portal.WireMapping.Mapped;
import zonegate.app.internal.portal.WireMapping.MappedResource;
import zonegate.controlplane.Wire;
import zonegate.filter.Cidr;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.IpStack;

class WireMappingTest {
    @Test
    void everyResourceTypeMapsAndMapsBack() {
        List<Filter> filters = List.of(new Filter.Tcp(80, 80), new Filter.Udp(1000, 2000), new Filter.Icmp());
        for (Resource resource : List.of(new Resource.CidrRange(ResourceId.of("net"), Cidr.parse("10.0.0.0/8")),
                new Resource.Dns(ResourceId.of("app"), DnsPattern.of("*.corp.example")),
                new Resource.Internet(ResourceId.of("internet")))) {
            Wire.Resource wire = WireMapping.toWire(resource, "Name", "site-1", filters);

            Mapped<MappedResource> back = WireMapping.resource(wire);

            assertThat(back).isEqualTo(new Mapped.Valid<>(new MappedResource(resource, "Name", "site-1", filters,
                    IpStack.DUAL)));
        }
    }

    @Test
    void badResourcesAreRefusedWithTheirReason() {
        assertThat(invalid(new Wire.Resource("cidr", "net", "n", "10.0.0.0/33", null, null, List.of())))
                .contains("resource net");
        assertThat(invalid(new Wire.Resource("dns", "app", "n", null, null, null, List.of()))).contains("no address");
        assertThat(invalid(new Wire.Resource("printer", "p", "n", "x", null, null, List.of()))).contains("unknown type");
        assertThat(invalid(new Wire.Resource("dns", "app", "n", "a.example", null, "ipv5", List.of())))
                .contains("ip_stack");
        assertThat(invalid(new Wire.Resource("cidr", "net", "n", "10.0.0.0/8", null, null,
                List.of(new Wire.Filter("tcp", 90, 80))))).contains("port range 90-80");
        assertThat(invalid(new Wire.Resource("cidr", "net", "n", "10.0.0.0/8", null, null,
                List.of(new Wire.Filter("sctp", 1, 2))))).contains("sctp");
    }

    @Test
    void socketAddressesAreIpLiteralsWithBracketsForIpv6AndRoundTrip() {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.ofLiteral("2001:db8::1"), 3478);
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.ofLiteral("192.0.2.1"), 3478);

        assertThat(WireMapping.socketAddress(WireMapping.socketAddressText(v6))).isEqualTo(new Mapped.Valid<>(v6));
        assertThat(WireMapping.socketAddress(WireMapping.socketAddressText(v4))).isEqualTo(new Mapped.Valid<>(v4));
        assertThat(WireMapping.socketAddress("2001:db8::1:3478")).isInstanceOf(Mapped.Invalid.class);
        assertThat(WireMapping.socketAddress("relay.example.com:3478")).isInstanceOf(Mapped.Invalid.class);
        assertThat(WireMapping.socketAddress("192.0.2.1:0")).isInstanceOf(Mapped.Invalid.class);
        assertThat(WireMapping.socketAddress("192.0.2.1")).isInstanceOf(Mapped.Invalid.class);
    }

    @Test
    void badCandidatesAreSkippedAndGoodOnesKept() {
        var parsed = WireMapping.candidates(List.of("candidate:1 1 udp 2130706431 192.0.2.1 5000 typ host",
                "candidate:garbage", "candidate:2 1 udp 1694498815 198.51.100.1 6000 typ srflx raddr 192.0.2.1 rport 5000"));

        assertThat(parsed).hasSize(2);
        assertThat(WireMapping.candidateLines(parsed)).allSatisfy(line -> assertThat(line).startsWith("candidate:"));
    }

    private static String invalid(Wire.Resource wire) {
        return ((Mapped.Invalid<MappedResource>) WireMapping.resource(wire)).reason();
    }
}
