package zonegate.nat64;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.nat64.internal.FlowTable;
import zonegate.nat64.internal.NatRewriter;
import zonegate.nat64.internal.ProxyDirectory;
import zonegate.packet.FragmentPosition;
import zonegate.packet.IpPacket;
import zonegate.packet.TcpView;

/**
 * One client's DNS-resource NAT: the client's stub resolver answers a query for a DNS resource with proxy
 * addresses (4 IPv4 from 100.96.0.0/11, 4 IPv6 from fd00:2021:1111:8000::/107); the gateway resolves the
 * name itself and {@link #setDomain sets} both lists here. A packet to proxy address {@code i} of a family
 * goes to resolved address {@code i mod n} of that family (round-robin); when the domain resolved to no
 * address of that family, it goes to resolved address {@code i mod n} of the other family, translated
 * by RFC 7915 (NAT64 for an IPv6 client packet towards IPv4, NAT46 the other way).
 *
 * <p><b>Flows.</b> Port-preserving stateful NAT: a flow is keyed by (protocol, client source port or
 * echo id, destination port, proxy address). Outbound, the source becomes the configured outbound
 * address of the resource's family ({@link NatConfig}) and the port the one {@link SharedPortSpace}
 * granted (the client's own when free). Replies are found through the shared space by (protocol, remote
 * address and port, local address and port or id), re-addressed from the proxy address to the client
 * and translated back across families when needed. ICMP errors about a flow (port unreachable, packet
 * too big, ...) are translated inside too: the quoted packet gets the client's address and port and the
 * proxy address back, and the error is re-originated from the proxy address.
 *
 * <p><b>Timeouts</b> (exact, from {@link NatConfig}): no reply seen yet, 60 s after the last outbound
 * packet; then idle TCP 2 h 4 min, UDP 2 min, ICMP 2 min; 5 s after FIN has been seen both ways; a RST
 * ends the flow at once. {@link #pollTimeout()} is the earliest deadline; {@link #handleTimeout} expires
 * what is due. Reassigning a proxy address to another domain (or withdrawing it) ends its flows.
 *
 * <p><b>Bounds.</b> At most {@link NatConfig#maxFlows()} live flows: a new flow beyond that is refused and
 * counted ({@link DropReason#TABLE_FULL}) after expired flows are reclaimed; live flows are never evicted.
 *
 * <p><b>Packets</b> are rewritten in place in the input buffer (ports and ids always; addresses too when
 * the family stays) and the result is written at {@code outOffset} of {@code out}; the output may be the
 * input region itself when the family stays, and must not overlap it when it changes (IPv4 to IPv6 grows
 * the packet by 20 bytes). Results are lengths or negative {@link DropReason#code()}s; nothing is
 * allocated per packet.
 *
 * <p>Not thread-safe; time ({@code nowNs}, monotonic) never goes backwards.
 */
public final class DnsNatTable {
    private final String clientId;
    private final NatConfig config;
    private final SharedPortSpace ports;
    private final FlowTable flows;
    private final ProxyDirectory proxies;
    private final NatRewriter rewriter;
    private final long[] drops = new long[DropReason.values().length];
    private final Map<String, List<InetAddress>> proxiesByDomain = new HashMap<>();
    /** Per flow, its proxy-directory entry; per entry, its live flows and the last packet's time. */
    private int[] proxyOfFlow;
    private final int[] liveFlowsOfProxy;
    private final long[] lastPacketNsOfProxy;
    private long lastNowNs = Long.MIN_VALUE;

    /**
     * @param clientId the client this table belongs to (logged as {@code cid})
     * @param config   bounds, outbound sources and timeouts
     * @param ports    the gateway's shared port space
     * @param random   seeded randomness (hash seeds, IPv4 identification values)
     */
    public DnsNatTable(String clientId, NatConfig config, SharedPortSpace ports, RandomGenerator random) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.config = Objects.requireNonNull(config, "config");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.flows = new FlowTable(config, random.nextLong());
        this.proxies = new ProxyDirectory(config.maxProxyAddresses(), random.nextLong());
        this.rewriter = new NatRewriter(random);
        this.proxyOfFlow = new int[flows.allocated()];
        this.liveFlowsOfProxy = new int[config.maxProxyAddresses()];
        this.lastPacketNsOfProxy = new long[config.maxProxyAddresses()];
        Arrays.fill(lastPacketNsOfProxy, Long.MIN_VALUE);
    }

    public String clientId() {
        return clientId;
    }

    /**
     * Sets (or replaces) a domain's proxy addresses and resolved addresses. A proxy address that belonged
     * to another domain, or that this domain no longer lists, loses its flows; flows of a proxy address
     * the domain keeps go on to the address they started with.
     *
     * @return false if the table's proxy-address bound was reached (the addresses beyond it are not mapped)
     */
    public boolean setDomain(String domain, List<? extends InetAddress> proxyAddresses,
                             List<? extends InetAddress> resolvedAddresses) {
        List<InetAddress> previous = proxiesByDomain.getOrDefault(domain, List.of());
        for (InetAddress old : previous) {
            if (!proxyAddresses.contains(old)) {
                withdraw(old);
            }
        }
        List<InetAddress> resolved4 = new ArrayList<>();
        List<InetAddress> resolved6 = new ArrayList<>();
        for (InetAddress address : resolvedAddresses) {
            (address instanceof Inet4Address ? resolved4 : resolved6).add(address);
        }
        boolean allMapped = true;
        int index4 = 0;
        int index6 = 0;
        List<InetAddress> mapped = new ArrayList<>();
        for (InetAddress proxy : proxyAddresses) {
            boolean v4 = proxy instanceof Inet4Address;
            int i = v4 ? index4++ : index6++;
            List<InetAddress> same = v4 ? resolved4 : resolved6;
            List<InetAddress> other = v4 ? resolved6 : resolved4;
            InetAddress target = !same.isEmpty() ? same.get(i % same.size())
                    : !other.isEmpty() ? other.get(i % other.size()) : null;
            long high = high(proxy);
            long low = low(proxy);
            int entry = proxies.find(high, low);
            if (entry >= 0 && !domain.equals(proxies.domain(entry))) {
                String before = proxies.domain(entry);
                proxiesByDomain.computeIfPresent(before, (d, list) -> list.stream().filter(a -> !a.equals(proxy)).toList());
                resetFlows(high, low);
                lastPacketNsOfProxy[entry] = Long.MIN_VALUE;
                Logger.debug("cid={} proxy {} reassigned from {} to {}: its flows reset", clientId,
                        proxy.getHostAddress(), before, domain);
            }
            int family = target == null ? 0 : target instanceof Inet4Address ? 4 : 6;
            if (proxies.put(high, low, domain, family, target == null ? 0 : high(target),
                    target == null ? 0 : low(target))) {
                mapped.add(proxy);
            } else {
                allMapped = false;
            }
        }
        proxiesByDomain.put(domain, List.copyOf(mapped));
        Logger.debug("cid={} domain {} -> {} proxy addresses, {} IPv4 and {} IPv6 resolved", clientId, domain,
                mapped.size(), resolved4.size(), resolved6.size());
        return allMapped;
    }

    /** Withdraws a domain's proxy addresses, ending their flows. */
    public void removeDomain(String domain) {
        List<InetAddress> previous = proxiesByDomain.remove(domain);
        if (previous != null) {
            previous.forEach(this::withdraw);
        }
    }

    /** Whether a live flow goes through one of {@code domain}'s proxy addresses. */
    public boolean hasLiveFlow(String domain) {
        for (InetAddress proxy : proxiesByDomain.getOrDefault(domain, List.of())) {
            int entry = proxies.find(high(proxy), low(proxy));
            if (entry >= 0 && liveFlowsOfProxy[entry] > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * When a packet of a flow through one of {@code domain}'s proxy addresses was last translated (either
     * way), or {@link Long#MIN_VALUE} if none was since the addresses were set.
     */
    public long lastPacketNs(String domain) {
        long last = Long.MIN_VALUE;
        for (InetAddress proxy : proxiesByDomain.getOrDefault(domain, List.of())) {
            int entry = proxies.find(high(proxy), low(proxy));
            if (entry >= 0) {
                last = Math.max(last, lastPacketNsOfProxy[entry]);
            }
        }
        return last;
    }

    /**
     * Translates a client's packet to one of its proxy addresses, creating the flow on its first packet.
     *
     * @return the length written at {@code outOffset}, or a negative {@link DropReason#code()}
     */
    public int translateOutbound(IpPacket fromClient, long nowNs, ByteBuffer out, int outOffset, int capacityBytes) {
        long now = advance(nowNs);
        if (fromClient.fragment() != FragmentPosition.NONE) {
            return drop(DropReason.FRAGMENT, fromClient);
        }
        long proxyHigh = SharedPortSpace.destinationHigh(fromClient);
        long proxyLow = SharedPortSpace.destinationLow(fromClient);
        int proxy = proxies.find(proxyHigh, proxyLow);
        if (proxy < 0) {
            return drop(DropReason.UNKNOWN_PROXY_ADDRESS, fromClient);
        }
        int remoteFamily = proxies.targetFamily(proxy);
        if (remoteFamily == 0) {
            return drop(DropReason.NO_RESOLVED_ADDRESS, fromClient);
        }
        int flowProtocol = SharedPortSpace.flowProtocol(fromClient, true);
        if (flowProtocol < 0) {
            return drop(DropReason.UNSUPPORTED_PROTOCOL, fromClient);
        }
        boolean echo = flowProtocol == FlowTable.ECHO;
        int clientPort = echo ? SharedPortSpace.echoId(fromClient) : fromClient.sourcePort();
        int remotePort = echo ? 0 : fromClient.destinationPort();
        int flow = flows.find(flowProtocol, clientPort, remotePort, proxyHigh, proxyLow);
        if (flow < 0) {
            flow = createFlow(fromClient, now, flowProtocol, clientPort, remotePort, proxy, proxyHigh, proxyLow);
            if (flow < 0) {
                return drop(DropReason.ofResult(flow), fromClient);
            }
        }
        lastPacketNsOfProxy[proxy] = now;
        TcpView tcp = fromClient.tcp();
        boolean ends = flows.onPacket(flow, now, false, tcp == null ? 0 : tcp.flags());
        int result = rewriter.outbound(fromClient, flows.localPort[flow], localHigh(flows.remoteFamily[flow]),
                localLow(flows.remoteFamily[flow]), flows.remoteHigh[flow], flows.remoteLow[flow],
                flows.remoteFamily[flow], out, outOffset, capacityBytes);
        if (ends) {
            expire(flow);
        }
        return result < 0 ? drop(DropReason.ofResult(result), fromClient) : result;
    }

    /**
     * Translates a resource's packet for this client; a packet of another client's flow is
     * {@link DropReason#NO_FLOW}. A gateway with many clients calls {@link SharedPortSpace#translateInbound}
     * instead, which finds the client.
     *
     * @return the length written at {@code outOffset}, or a negative {@link DropReason#code()}
     */
    public int translateInbound(IpPacket fromResource, long nowNs, ByteBuffer out, int outOffset, int capacityBytes) {
        int handle = ports.lookup(fromResource);
        if (handle < 0) {
            return drop(DropReason.ofResult(handle), fromResource);
        }
        if (ports.owner(handle) != this) {
            return drop(DropReason.NO_FLOW, fromResource);
        }
        return inbound(ports.ownerFlow(handle), fromResource, ports.lastWasError(), nowNs, out, outOffset,
                capacityBytes);
    }

    /**
     * The earliest flow deadline in ns (the instant {@link #handleTimeout} should be called at), or
     * {@link Long#MAX_VALUE} when the table is empty. {@link #pollTimeoutReason()} says what it is for.
     */
    public long pollTimeout() {
        int top = flows.normalizedTop();
        return top < 0 ? Long.MAX_VALUE : flows.deadlineNs[top];
    }

    /** Why {@link #pollTimeout()} is due ({@code "udp flow idle expiry"}, ...), or null when there is no deadline. */
    public String pollTimeoutReason() {
        int top = flows.normalizedTop();
        return top < 0 ? null : flows.deadlineReason(top);
    }

    /** Expires every flow whose deadline is at or before {@code nowNs}. */
    public void handleTimeout(long nowNs) {
        long now = advance(nowNs);
        for (int top = flows.normalizedTop(); top >= 0 && flows.deadlineNs[top] <= now; top = flows.normalizedTop()) {
            if (Logger.isTraceEnabled()) {
                Logger.trace("cid={} flow {} proto {} port {} expired: {}", clientId, top, flows.protocol[top],
                        flows.remotePort[top], flows.deadlineReason(top));
            }
            expire(top);
        }
    }

    /** Live flows. */
    public int size() {
        return flows.size();
    }

    public int maxFlows() {
        return flows.capacity;
    }

    /** Packets (or new flows) this table dropped for {@code reason}. */
    public long dropCount(DropReason reason) {
        return drops[reason.ordinal()];
    }

    int inbound(int flow, IpPacket p, boolean error, long nowNs, ByteBuffer out, int outOffset, int capacityBytes) {
        long now = advance(nowNs);
        lastPacketNsOfProxy[proxyOfFlow[flow]] = now;
        TcpView tcp = error ? null : p.tcp();
        boolean ends = !error && flows.onPacket(flow, now, true, tcp == null ? 0 : tcp.flags());
        int result = rewriter.inbound(p, error, flows.clientPort[flow], flows.proxyHigh[flow], flows.proxyLow[flow],
                flows.clientHigh[flow], flows.clientLow[flow], flows.clientFamily[flow], out, outOffset, capacityBytes);
        if (ends) {
            expire(flow);
        }
        return result < 0 ? drop(DropReason.ofResult(result), p) : result;
    }

    private int createFlow(IpPacket p, long now, int flowProtocol, int clientPort, int remotePort, int proxy,
                           long proxyHigh, long proxyLow) {
        if (flows.isFull()) {
            handleTimeout(now);
        }
        int flow = flows.allocate();
        if (flow < 0) {
            return DropReason.TABLE_FULL.code();
        }
        int remoteFamily = proxies.targetFamily(proxy);
        long remoteHigh = proxies.targetHigh(proxy);
        long remoteLow = proxies.targetLow(proxy);
        int handle = ports.claim(flowProtocol, localHigh(remoteFamily), localLow(remoteFamily), clientPort, remoteHigh,
                remoteLow, remotePort, this, flow);
        if (handle < 0) {
            flows.unallocate(flow);
            return handle;
        }
        flows.protocol[flow] = flowProtocol;
        flows.clientPort[flow] = clientPort;
        flows.remotePort[flow] = remotePort;
        flows.localPort[flow] = ports.claimedPort();
        flows.clientFamily[flow] = p.version();
        flows.remoteFamily[flow] = remoteFamily;
        flows.clientHigh[flow] = SharedPortSpace.sourceHigh(p);
        flows.clientLow[flow] = SharedPortSpace.sourceLow(p);
        flows.proxyHigh[flow] = proxyHigh;
        flows.proxyLow[flow] = proxyLow;
        flows.remoteHigh[flow] = remoteHigh;
        flows.remoteLow[flow] = remoteLow;
        flows.sharedHandle[flow] = handle;
        flows.activate(flow, now);
        if (proxyOfFlow.length < flows.allocated()) {
            proxyOfFlow = Arrays.copyOf(proxyOfFlow, flows.allocated());
        }
        proxyOfFlow[flow] = proxy;
        liveFlowsOfProxy[proxy]++;
        return flow;
    }

    private void expire(int flow) {
        liveFlowsOfProxy[proxyOfFlow[flow]]--;
        ports.release(flows.sharedHandle[flow]);
        flows.remove(flow);
    }

    private void withdraw(InetAddress proxy) {
        resetFlows(high(proxy), low(proxy));
        int entry = proxies.find(high(proxy), low(proxy));
        if (entry >= 0) {
            lastPacketNsOfProxy[entry] = Long.MIN_VALUE;
        }
        proxies.remove(high(proxy), low(proxy));
    }

    /** Ends every flow through a proxy address: a control-plane event, so a scan of the table is fine. */
    private void resetFlows(long proxyHigh, long proxyLow) {
        for (int flow = 0; flow < flows.allocated(); flow++) {
            if (flows.isLive(flow) && flows.proxyHigh[flow] == proxyHigh && flows.proxyLow[flow] == proxyLow) {
                expire(flow);
            }
        }
    }

    private long localHigh(int family) {
        return family == 4 ? 0 : config.outboundSource6High();
    }

    private long localLow(int family) {
        return family == 4 ? SharedPortSpace.mapped(config.outboundSource4()) : config.outboundSource6Low();
    }

    private long advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards";
        lastNowNs = Math.max(lastNowNs, nowNs);
        return lastNowNs;
    }

    private int drop(DropReason reason, IpPacket p) {
        drops[reason.ordinal()]++;
        if (Logger.isTraceEnabled()) {
            Logger.trace("cid={} dropped IPv{} proto {} port {}: {}", clientId, p.version(), p.protocol(),
                    p.destinationPort(), reason);
        }
        return reason.code();
    }

    private static long high(InetAddress address) {
        return address instanceof Inet6Address v6 ? Addresses.high(v6) : 0;
    }

    private static long low(InetAddress address) {
        return address instanceof Inet6Address v6 ? Addresses.low(v6)
                : SharedPortSpace.mapped(Addresses.ipv4((Inet4Address) address));
    }
}
