package zonegate.shell.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SourceAddressCacheTest {
    private final MemorySegment sockaddr = Arena.ofAuto().allocate(32, 8);

    @Test
    void aRepeatSenderGetsTheSameInstance() {
        SourceAddressCache cache = new SourceAddressCache(16);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.ofLiteral("192.0.2.7"), 51820);

        InetSocketAddress first = lookup(cache, peer);
        InetSocketAddress second = lookup(cache, peer);

        assertThat(first).isEqualTo(peer).isSameAs(second);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void ipv6AddressesAndPortsAreTellApart() {
        SourceAddressCache cache = new SourceAddressCache(16);
        InetSocketAddress a = new InetSocketAddress(InetAddress.ofLiteral("2001:db8::1"), 1000);
        InetSocketAddress b = new InetSocketAddress(InetAddress.ofLiteral("2001:db8::1"), 1001);
        InetSocketAddress c = new InetSocketAddress(InetAddress.ofLiteral("2001:db8::2"), 1000);

        assertThat(lookup(cache, a)).isEqualTo(a);
        assertThat(lookup(cache, b)).isEqualTo(b);
        assertThat(lookup(cache, c)).isEqualTo(c);
        assertThat(lookup(cache, a)).isSameAs(lookup(cache, a));
    }

    @Test
    void manySendersStayWithinTheBoundAndCountEvictions() {
        SourceAddressCache cache = new SourceAddressCache(8);
        for (int port = 1; port <= 1000; port++) {
            InetSocketAddress peer = new InetSocketAddress(InetAddress.ofLiteral("198.51.100.1"), port);
            assertThat(lookup(cache, peer)).isEqualTo(peer);
        }

        assertThat(cache.capacity()).isEqualTo(8);
        assertThat(cache.evictions()).isGreaterThanOrEqualTo(1000 - 8);
    }

    @Test
    void capEffWithBit12MeansNetAdmin() {
        assertThat(Capabilities.hasCapability("Name:\tjava\nCapEff:\t0000000000001000\n", 12)).isTrue();
        assertThat(Capabilities.hasCapability("CapEff:\t0000000000000fff\n", 12)).isFalse();
        assertThat(Capabilities.hasCapability("Name:\tjava\n", 12)).isFalse();
    }

    private InetSocketAddress lookup(SourceAddressCache cache, InetSocketAddress address) {
        DestinationAddressCache.encode(address, sockaddr, 0);
        return cache.lookup(sockaddr, 0);
    }
}
