package zonegate.tunnel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Objects;
import zonegate.filter.FilterConfig;
import zonegate.filter.GatewayServices;
import zonegate.nat64.Nat64Prefix;
import zonegate.wireguard.PeerRole;
import zonegate.wireguard.WireGuardConfig;

/**
 * Settings and bounds of a {@link GatewayState}. Every bound is enforced: what exceeds it is refused or
 * dropped and counted.
 *
 * @param tunnelIpv4 the gateway's own tunnel IPv4 address (its TUN device's address, where the shell's
 *     DNS server listens); packets to it from a client are for {@code gatewayServices}
 * @param tunnelIpv6 likewise for IPv6
 * @param mtuBytes the tunnel MTU (1280); packet-too-big errors name it
 * @param nat64Prefix the RFC 6052 prefix of the site's NAT64, if it has one (or null): resolved IPv6
 *     addresses inside it are used as the IPv4 address they embed, so the gateway's own NAT64 (which
 *     translates from the client's tunnel address) is used instead of the site's
 * @param maxClients clients at most ({@link UpsertResult#REFUSED_FULL} beyond)
 * @param maxDomainsPerClient DNS-resource domains one client can be given proxy addresses for (each
 *     takes 4 IPv4 and 4 IPv6 proxy addresses; at most 2^19, the size of 100.96.0.0/11 over 4); beyond it
 *     the slot of the least recently used domain that is idle past its quarantine is reclaimed
 *     ({@link DnsResourceConfig}), else the assignment is refused
 * @param maxNatFlowsPerClient live DNS-resource NAT flows per client
 * @param natPortSpaceCapacity outside NAT flows over all clients
 * @param transmitQueueCapacity datagrams waiting for {@link GatewayState#pollTransmit()}
 * @param packetQueueCapacity packets waiting for {@link GatewayState#pollPacket()}
 * @param eventQueueCapacity events waiting for {@link GatewayState#pollEvent()}
 * @param deniedLogSlots the size of the "recently logged" set that logs each denial once per
 *     (client, resource, protocol, port), a power of two
 * @param wireGuard WireGuard's settings (every client is a {@link PeerRole#RESPONDER_ONLY} peer)
 * @param filter the filter engine's bounds and flow timeouts
 * @param natReservedFlowsPerClient outside NAT flows held in reserve for each client with a NAT table,
 *     whatever the others take (0 to {@code maxNatFlowsPerClient}; {@code maxClients} times it must fit
 *     in {@code natPortSpaceCapacity}, so the guarantee holds with every client present), while
 *     {@code maxNatFlowsPerClient} caps any one client's share
 * @param gatewayServices what clients may send to the gateway's own tunnel addresses at start (ping, DNS
 *     and the operator's {@code gateway.allowToGateway}; {@link GatewayState#setGatewayServices} replaces
 *     it); the rest is answered with ICMP administratively prohibited
 * @param dnsResources DNS resources: proxy-address quarantine and refused translation targets
 */
public record GatewayConfig(Inet4Address tunnelIpv4, Inet6Address tunnelIpv6, int mtuBytes, Nat64Prefix nat64Prefix,
                            int maxClients, int maxDomainsPerClient, int maxNatFlowsPerClient,
                            int natPortSpaceCapacity, int transmitQueueCapacity, int packetQueueCapacity,
                            int eventQueueCapacity, int deniedLogSlots, WireGuardConfig wireGuard,
                            FilterConfig filter, int natReservedFlowsPerClient, GatewayServices gatewayServices,
                            DnsResourceConfig dnsResources) {
    /** The most domains per client: 100.96.0.0/11 holds 2^21 addresses, 4 per domain. */
    public static final int MAX_DOMAINS_PER_CLIENT = 1 << 19;

    public GatewayConfig {
        Objects.requireNonNull(tunnelIpv4, "tunnelIpv4");
        Objects.requireNonNull(tunnelIpv6, "tunnelIpv6");
        Objects.requireNonNull(wireGuard, "wireGuard");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(gatewayServices, "gatewayServices");
        Objects.requireNonNull(dnsResources, "dnsResources");
        if (mtuBytes < 1280 || maxClients < 1 || maxDomainsPerClient < 1 || maxDomainsPerClient > MAX_DOMAINS_PER_CLIENT
                || maxNatFlowsPerClient < 1 || natPortSpaceCapacity < 1 || transmitQueueCapacity < 1
                || packetQueueCapacity < 1 || eventQueueCapacity < 1 || Integer.bitCount(deniedLogSlots) != 1
                || maxNatFlowsPerClient > natPortSpaceCapacity || natReservedFlowsPerClient < 0
                || natReservedFlowsPerClient > maxNatFlowsPerClient
                || (long) natReservedFlowsPerClient * maxClients > natPortSpaceCapacity) {
            throw new IllegalArgumentException("bounds out of range: " + this);
        }
    }

    /**
     * The defaults: MTU 1280, the site's NAT64 prefix unknown, 4096 clients, 1024 domains and 16384 NAT
     * flows per client, 262144 outside NAT flows of which 64 are reserved for each client, queues of 4096
     * datagrams, 4096 packets and 1024 events, 1024 denial-log slots, WireGuard's and the filter engine's
     * defaults, only ping and DNS to the gateway's own addresses, and {@link DnsResourceConfig#DEFAULT}.
     */
    public static GatewayConfig defaults(Inet4Address tunnelIpv4, Inet6Address tunnelIpv6) {
        return new GatewayConfig(tunnelIpv4, tunnelIpv6, WireGuardConfig.DEFAULT_MTU_BYTES, null, 4096, 1024, 16_384,
                262_144, 4096, 4096, 1024, 1024, WireGuardConfig.DEFAULT, FilterConfig.DEFAULT, 64,
                GatewayServices.DEFAULT, DnsResourceConfig.DEFAULT);
    }

    /** This config with other bounds on clients and domains per client. */
    public GatewayConfig withClientBounds(int clients, int domainsPerClient) {
        return new GatewayConfig(tunnelIpv4, tunnelIpv6, mtuBytes, nat64Prefix, clients, domainsPerClient,
                maxNatFlowsPerClient, natPortSpaceCapacity, transmitQueueCapacity, packetQueueCapacity,
                eventQueueCapacity, deniedLogSlots, wireGuard, filter,
                natReservedFlowsPerClient, gatewayServices, dnsResources);
    }

    /** This config with other queue bounds. */
    public GatewayConfig withQueueCapacities(int transmits, int packets, int events) {
        return new GatewayConfig(tunnelIpv4, tunnelIpv6, mtuBytes, nat64Prefix, maxClients, maxDomainsPerClient,
                maxNatFlowsPerClient, natPortSpaceCapacity, transmits, packets, events, deniedLogSlots, wireGuard,
                filter, natReservedFlowsPerClient, gatewayServices, dnsResources);
    }

    /** This config with the site's NAT64 prefix. */
    public GatewayConfig withNat64Prefix(Nat64Prefix prefix) {
        return new GatewayConfig(tunnelIpv4, tunnelIpv6, mtuBytes, prefix, maxClients, maxDomainsPerClient,
                maxNatFlowsPerClient, natPortSpaceCapacity, transmitQueueCapacity, packetQueueCapacity,
                eventQueueCapacity, deniedLogSlots, wireGuard, filter,
                natReservedFlowsPerClient, gatewayServices, dnsResources);
    }

    /** This config with other WireGuard settings. */
    public GatewayConfig withWireGuard(WireGuardConfig config) {
        return new GatewayConfig(tunnelIpv4, tunnelIpv6, mtuBytes, nat64Prefix, maxClients, maxDomainsPerClient,
                maxNatFlowsPerClient, natPortSpaceCapacity, transmitQueueCapacity, packetQueueCapacity,
                eventQueueCapacity, deniedLogSlots, config, filter,
                natReservedFlowsPerClient, gatewayServices, dnsResources);
    }

    /** This config with another tunnel MTU (WireGuard pads up to it, packet-too-big errors name it). */
    public GatewayConfig withMtuBytes(int mtu) {
        return new GatewayConfig(tunnelIpv4, tunnelIpv6, mtu, nat64Prefix, maxClients, maxDomainsPerClient,
                maxNatFlowsPerClient, natPortSpaceCapacity, transmitQueueCapacity, packetQueueCapacity,
                eventQueueCapacity, deniedLogSlots, wireGuard.withMtuBytes(mtu), filter,
                natReservedFlowsPerClient, gatewayServices, dnsResources);
    }

    /**
     * This config with other DNS-resource NAT bounds: {@code flowsPerClient} is each client's cap,
     * {@code reservedPerClient} its guaranteed share of the {@code portSpace} outside flows.
     */
    public GatewayConfig withNatBounds(int flowsPerClient, int reservedPerClient, int portSpace) {
        return new GatewayConfig(tunnelIpv4, tunnelIpv6, mtuBytes, nat64Prefix, maxClients, maxDomainsPerClient,
                flowsPerClient, portSpace, transmitQueueCapacity, packetQueueCapacity, eventQueueCapacity,
                deniedLogSlots, wireGuard, filter, reservedPerClient, gatewayServices, dnsResources);
    }

    /** This config with other services on the gateway's own addresses. */
    public GatewayConfig withGatewayServices(GatewayServices services) {
        return new GatewayConfig(tunnelIpv4, tunnelIpv6, mtuBytes, nat64Prefix, maxClients, maxDomainsPerClient,
                maxNatFlowsPerClient, natPortSpaceCapacity, transmitQueueCapacity, packetQueueCapacity,
                eventQueueCapacity, deniedLogSlots, wireGuard, filter, natReservedFlowsPerClient, services, dnsResources);
    }

    /** This config with other DNS-resource settings. */
    public GatewayConfig withDnsResources(DnsResourceConfig dns) {
        return new GatewayConfig(tunnelIpv4, tunnelIpv6, mtuBytes, nat64Prefix, maxClients, maxDomainsPerClient,
                maxNatFlowsPerClient, natPortSpaceCapacity, transmitQueueCapacity, packetQueueCapacity,
                eventQueueCapacity, deniedLogSlots, wireGuard, filter, natReservedFlowsPerClient, gatewayServices,
                dns);
    }
}
