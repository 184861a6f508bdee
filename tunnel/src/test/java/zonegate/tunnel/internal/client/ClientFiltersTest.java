package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.Filter;
import zonegate.packet.IpProtocol;

class ClientFiltersTest {
    private static final int GRE = 47;

    @Test
    void anEmptyListPermitsEveryProtocolAndPort() {
        List<Filter> none = List.of();

        assertThat(ClientFilters.permits(none, IpProtocol.TCP, 1)).isTrue();
        assertThat(ClientFilters.permits(none, IpProtocol.UDP, 65_535)).isTrue();
        assertThat(ClientFilters.permits(none, IpProtocol.ICMP, -1)).isTrue();
        assertThat(ClientFilters.permits(none, GRE, -1)).isTrue();
    }

    @Test
    void tcpRangesAreInclusiveAndTcpOnly() {
        List<Filter> filters = List.of(new Filter.Tcp(80, 443));

        assertThat(ClientFilters.permits(filters, IpProtocol.TCP, 80)).isTrue();
        assertThat(ClientFilters.permits(filters, IpProtocol.TCP, 443)).isTrue();
        assertThat(ClientFilters.permits(filters, IpProtocol.TCP, 79)).isFalse();
        assertThat(ClientFilters.permits(filters, IpProtocol.TCP, 444)).isFalse();
        assertThat(ClientFilters.permits(filters, IpProtocol.UDP, 443)).isFalse();
    }

    @Test
    void udpRangesAreUdpOnly() {
        List<Filter> filters = List.of(new Filter.Udp(53, 53));

        assertThat(ClientFilters.permits(filters, IpProtocol.UDP, 53)).isTrue();
        assertThat(ClientFilters.permits(filters, IpProtocol.TCP, 53)).isFalse();
        assertThat(ClientFilters.permits(filters, IpProtocol.UDP, 54)).isFalse();
    }

    @Test
    void icmpFilterPermitsIcmpAndIcmpv6OfAnyType() {
        List<Filter> filters = List.of(new Filter.Icmp());

        assertThat(ClientFilters.permits(filters, IpProtocol.ICMP, -1)).isTrue();
        assertThat(ClientFilters.permits(filters, IpProtocol.ICMPV6, -1)).isTrue();
        assertThat(ClientFilters.permits(filters, IpProtocol.TCP, 80)).isFalse();
    }

    @Test
    void icmpIsDeniedWithoutAnIcmpFilter() {
        List<Filter> filters = List.of(new Filter.Tcp(0, 65_535), new Filter.Udp(0, 65_535));

        assertThat(ClientFilters.permits(filters, IpProtocol.ICMP, -1)).isFalse();
        assertThat(ClientFilters.permits(filters, IpProtocol.ICMPV6, -1)).isFalse();
    }

    @Test
    void theUnionOfFiltersIsPermitted() {
        List<Filter> filters = List.of(new Filter.Tcp(22, 22), new Filter.Udp(5000, 5999), new Filter.Tcp(8000, 8080));

        assertThat(ClientFilters.permits(filters, IpProtocol.TCP, 22)).isTrue();
        assertThat(ClientFilters.permits(filters, IpProtocol.TCP, 8042)).isTrue();
        assertThat(ClientFilters.permits(filters, IpProtocol.UDP, 5500)).isTrue();
        assertThat(ClientFilters.permits(filters, IpProtocol.TCP, 5500)).isFalse();
    }

    @Test
    void aPacketWithoutPortMatchesNoPortRange() {
        List<Filter> filters = List.of(new Filter.Tcp(0, 65_535));

        assertThat(ClientFilters.permits(filters, IpProtocol.TCP, -1)).isFalse();
    }

    @Test
    void otherProtocolsNeedAnEmptyList() {
        assertThat(ClientFilters.permits(List.of(new Filter.Icmp(), new Filter.Tcp(0, 65_535)), GRE, -1)).isFalse();
    }
}
