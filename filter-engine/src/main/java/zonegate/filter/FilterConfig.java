package zonegate.filter;

/**
 * Bounds and timeouts of a {@link FilterEngine}. Every bound is enforced: what exceeds it is refused
 * or evicted, and counted.
 *
 * @param maxClients clients the engine holds; {@link FilterEngine#upsertClient} refuses more
 * @param maxResourcesPerClient authorisations one client may hold; larger lists are refused whole
 * @param maxFlowsPerClient the flow table's capacity per client (rounded up to a power of two, at
 *     least 4); a new flow evicts the one of its 4-way bucket closest to idling out when full. The table
 *     is also the record of the flows whose replies {@link ClientFilter#admitsInbound} lets in: an
 *     evicted or idled-out flow takes no reply until the client's next packet re-opens it
 *     ({@link ClientFilter#flowEvictions()} counts evictions)
 * @param maxPendingEvents events queued for {@link FilterEngine#pollEvent}; later ones are dropped
 *     and counted
 * @param tcpFlowIdleNs a TCP flow forgets its route after this long without a packet (either way)
 * @param udpFlowIdleNs likewise for UDP
 * @param icmpFlowIdleNs likewise for ICMP and other protocols
 */
public record FilterConfig(int maxClients, int maxResourcesPerClient, int maxFlowsPerClient, int maxPendingEvents,
                           long tcpFlowIdleNs, long udpFlowIdleNs, long icmpFlowIdleNs) {
    /** Gateway NAT timeouts: TCP 2 h 4 min (RFC 5382 section 5), UDP 2 min, ICMP 2 min. */
    public static final FilterConfig DEFAULT = new FilterConfig(65_536, 65_536, 1_024, 4_096,
            (2 * 3600 + 4 * 60) * 1_000_000_000L, 120 * 1_000_000_000L, 120 * 1_000_000_000L);

    public FilterConfig {
        if (maxClients < 1 || maxResourcesPerClient < 1 || maxFlowsPerClient < 1 || maxPendingEvents < 1) {
            throw new IllegalArgumentException("every bound must be at least 1: " + this);
        }
        if (maxFlowsPerClient > 1 << 24) {
            throw new IllegalArgumentException("maxFlowsPerClient above 2^24: " + maxFlowsPerClient);
        }
        if (tcpFlowIdleNs <= 0 || udpFlowIdleNs <= 0 || icmpFlowIdleNs <= 0) {
            throw new IllegalArgumentException("flow idle timeouts must be positive: " + this);
        }
    }

    /** This config with another flow-table capacity. */
    public FilterConfig withMaxFlowsPerClient(int flows) {
        return new FilterConfig(maxClients, maxResourcesPerClient, flows, maxPendingEvents, tcpFlowIdleNs,
                udpFlowIdleNs, icmpFlowIdleNs);
    }

    /** This config with another bound on authorisations per client. */
    public FilterConfig withMaxResourcesPerClient(int resources) {
        return new FilterConfig(maxClients, resources, maxFlowsPerClient, maxPendingEvents, tcpFlowIdleNs,
                udpFlowIdleNs, icmpFlowIdleNs);
    }

    /** This config with another bound on queued events. */
    public FilterConfig withMaxPendingEvents(int events) {
        return new FilterConfig(maxClients, maxResourcesPerClient, maxFlowsPerClient, events, tcpFlowIdleNs,
                udpFlowIdleNs, icmpFlowIdleNs);
    }
}
