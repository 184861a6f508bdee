package zonegate.nat64;

/**
 * Configuration of one client's {@link DnsNatTable}.
 *
 * <p>The outbound sources are the addresses translated packets carry towards resources: the gateway's own
 * address of each family (then port collisions between clients are resolved by the {@link SharedPortSpace}
 * the tables share), or the client's tunnel addresses (Firezone's choice, when the host masquerades).
 * Timeouts follow RFC 5382 (TCP established at least 2 h 4 min) and RFC 4787 (UDP at least 2 min).
 *
 * @param maxFlows                 live flows the table holds at most; a new flow beyond it is refused
 *                                 ({@link DropReason#TABLE_FULL}), never a live one evicted
 * @param maxProxyAddresses        proxy addresses the table maps at most (a domain takes 8)
 * @param outboundSource4          source of translated IPv4 packets, network order
 * @param outboundSource6High      bits 0-63 of the source of translated IPv6 packets
 * @param outboundSource6Low       bits 64-127 of it
 * @param tcpEstablishedTimeoutNs  idle time after which an answered TCP flow expires
 * @param udpTimeoutNs             idle time after which an answered UDP flow expires
 * @param icmpTimeoutNs            idle time after which an answered ICMP echo flow expires
 * @param unansweredTimeoutNs      time after the last outbound packet of a flow that saw no reply yet
 * @param finTimeoutNs             time after a FIN has been seen in both directions
 */
public record NatConfig(int maxFlows, int maxProxyAddresses, int outboundSource4, long outboundSource6High,
                        long outboundSource6Low, long tcpEstablishedTimeoutNs, long udpTimeoutNs, long icmpTimeoutNs,
                        long unansweredTimeoutNs, long finTimeoutNs) {
    public static final int DEFAULT_MAX_FLOWS = 16384;
    public static final int DEFAULT_MAX_PROXY_ADDRESSES = 8192;
    public static final long TCP_ESTABLISHED_TIMEOUT_NS = (2 * 3600 + 4 * 60) * 1_000_000_000L;
    public static final long UDP_TIMEOUT_NS = 120 * 1_000_000_000L;
    public static final long ICMP_TIMEOUT_NS = 120 * 1_000_000_000L;
    public static final long UNANSWERED_TIMEOUT_NS = 60 * 1_000_000_000L;
    public static final long FIN_TIMEOUT_NS = 5 * 1_000_000_000L;

    public NatConfig {
        if (maxFlows < 1 || maxProxyAddresses < 1) {
            throw new IllegalArgumentException("maxFlows and maxProxyAddresses must be positive");
        }
        if (tcpEstablishedTimeoutNs <= 0 || udpTimeoutNs <= 0 || icmpTimeoutNs <= 0 || unansweredTimeoutNs <= 0
                || finTimeoutNs <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** The Firezone gateway's defaults: 16384 flows, the timeouts above, and the given outbound sources. */
    public static NatConfig defaults(int outboundSource4, long outboundSource6High, long outboundSource6Low) {
        return new NatConfig(DEFAULT_MAX_FLOWS, DEFAULT_MAX_PROXY_ADDRESSES, outboundSource4, outboundSource6High,
                outboundSource6Low, TCP_ESTABLISHED_TIMEOUT_NS, UDP_TIMEOUT_NS, ICMP_TIMEOUT_NS, UNANSWERED_TIMEOUT_NS,
                FIN_TIMEOUT_NS);
    }

    /** This configuration with another flow bound. */
    public NatConfig withMaxFlows(int flows) {
        return new NatConfig(flows, maxProxyAddresses, outboundSource4, outboundSource6High, outboundSource6Low,
                tcpEstablishedTimeoutNs, udpTimeoutNs, icmpTimeoutNs, unansweredTimeoutNs, finTimeoutNs);
    }
}
