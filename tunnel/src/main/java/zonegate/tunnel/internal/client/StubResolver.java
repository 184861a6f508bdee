package zonegate.tunnel.internal.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tinylog.Logger;
import zonegate.filter.ResourceId;
import zonegate.packet.FragmentPolicy;
import zonegate.packet.FragmentPosition;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;
import zonegate.packet.PacketParser;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.DnsRecords;
import zonegate.tunnel.dns.DnsParseResult;
import zonegate.tunnel.dns.DnsParser;
import zonegate.tunnel.dns.DnsQuery;
import zonegate.tunnel.dns.DnsRcode;
import zonegate.tunnel.dns.DnsRejection;
import zonegate.tunnel.dns.DnsResponseWriter;

/**
 * The client's stub DNS resolver, sans-IO. It sits on sentinel addresses inside the tunnel (one per upstream
 * server, see {@link #setUpstreams}); the client hands it the UDP packets the OS sends there.
 *
 * <ul>
 *   <li>A or AAAA for a name matching a DNS resource's pattern: answered here with the domain's proxy
 *       addresses (TTL 1 s), 4 IPv4 from 100.96.0.0/11 and 4 IPv6 from fd00:2021:1111:8000::/107, given
 *       the first time the domain is asked and kept for the life of the process. The most specific matching
 *       resource's {@link zonegate.tunnel.IpStack} decides the families (the other gets an empty NOERROR).
 *       HTTPS for such a name: empty NOERROR, so the application falls back to A/AAAA.</li>
 *   <li>PTR for a proxy address: answered with its domain. {@code use-application-dns.net}: NXDOMAIN,
 *       which turns off Firefox's own DNS over HTTPS.</li>
 *   <li>Anything else: a {@link StubResult.Forward} to the sentinel's upstream. The shell sends it and
 *       hands back the response ({@link #handleUpstreamResponse}), relayed to the client from the sentinel,
 *       truncated (TC, no records) if larger than the client can take over UDP; a failure, a wrong id or a
 *       response that does not parse is answered SERVFAIL; a query unanswered after the timeout is
 *       forgotten without an answer (the client retries).</li>
 * </ul>
 *
 * <pre>{@code
 * StubResolver stub = new StubResolver(StubResolver.DEFAULT_MAX_IN_FLIGHT, StubResolver.DEFAULT_UPSTREAM_TIMEOUT_NS);
 * List<StubResolver.Sentinel> sentinels = stub.setUpstreams(List.of(new InetSocketAddress("192.0.2.53", 53)));
 * stub.setResources(resources);
 * StubResult r = stub.handleQuery(packet, 0, length, nowNs);   // for UDP to a sentinel, port 53
 * if (nowNs >= stub.pollTimeout()) stub.handleTimeout(nowNs);
 * }</pre>
 *
 * <p>Bounds: {@code maxInFlight} forwarded queries (more: SERVFAIL at once), {@value #MAX_UPSTREAMS}
 * upstreams, {@value #MAX_ANSWERED_DOMAINS} answered domains waiting in {@link #pollAnsweredDomain()}, and
 * the proxy ranges themselves (2^19 domains, less the slots of the sentinels' /24). Bad input never throws:
 * it is dropped or answered with an error, and counted ({@link #count}). {@link #isSentinel4},
 * {@link #isSentinel6}, {@link #lookupProxy4} and {@link #lookupProxy6} allocate nothing. Not thread-safe:
 * one state-machine thread drives it.
 */
public final class StubResolver {
    public static final int DEFAULT_MAX_IN_FLIGHT = 128;
    public static final long DEFAULT_UPSTREAM_TIMEOUT_NS = 5_000_000_000L;
    /** Upstreams that get a sentinel; the rest are ignored. */
    public static final int MAX_UPSTREAMS = 20;
    /** Domains kept for {@link #pollAnsweredDomain()}; the oldest is dropped beyond. */
    public static final int MAX_ANSWERED_DOMAINS = 256;
    /** The name Firefox asks before enabling its own DNS over HTTPS; NXDOMAIN keeps it on the system's. */
    public static final String DOH_CANARY = "use-application-dns.net";
    private static final int TTL_SECONDS = DnsResponseWriter.DEFAULT_TTL_SECONDS;

    /** A sentinel address and the upstream server whose queries it receives. */
    public record Sentinel(InetAddress address, InetSocketAddress upstream) {
    }

    /**
     * What a proxy address stands for.
     *
     * @param domain the domain (lower case, no trailing dot)
     * @param resources the DNS resources whose pattern matches it, most specific first, then by id; empty when
     *     none does any more (the resources changed since it was answered)
     * @param proxyIps the domain's 4 IPv4 then 4 IPv6 proxy addresses
     */
    public record ProxyTarget(String domain, List<ResourceId> resources, List<InetAddress> proxyIps) {
        public ProxyTarget {
            resources = List.copyOf(resources);
            proxyIps = List.copyOf(proxyIps);
        }
    }

    private final PacketParser parser = new PacketParser(FragmentPolicy.REJECT);
    private final Sentinels sentinels = new Sentinels(MAX_UPSTREAMS);
    private final DnsResourceTable resources = new DnsResourceTable();
    private final ProxyPool proxies = new ProxyPool();
    private final Replies replies = new Replies();
    private final Forwarder forwarder;
    private final ArrayDeque<String> answeredDomains = new ArrayDeque<>();
    private final long[] reverse6 = new long[2];
    private long lastNowNs = Long.MIN_VALUE;
    private boolean exhaustionLogged;
    private boolean tooManyUpstreamsLogged;

    /**
     * @param maxInFlight forwarded queries waiting for an answer at most ({@link #DEFAULT_MAX_IN_FLIGHT})
     * @param upstreamTimeoutNs how long a forwarded query waits ({@link #DEFAULT_UPSTREAM_TIMEOUT_NS})
     */
    public StubResolver(int maxInFlight, long upstreamTimeoutNs) {
        if (maxInFlight < 1 || upstreamTimeoutNs < 1) {
            throw new IllegalArgumentException("maxInFlight and upstreamTimeoutNs must be positive");
        }
        this.forwarder = new Forwarder(maxInFlight, upstreamTimeoutNs, replies);
    }

    /**
     * Sets the upstream servers, in order: upstream {@code i} gets sentinel {@code i} of its family, IPv4
     * {@code 100.100.111.(i+1)} or IPv6 {@code fd00:2021:1111:8000:100:100:111:(i+1)}. At most
     * {@value #MAX_UPSTREAMS}; the rest are ignored (counted, logged once). Forwarded queries to a server no
     * longer listed are forgotten.
     *
     * @return the sentinels, in the order of the upstreams
     */
    public List<Sentinel> setUpstreams(List<InetSocketAddress> upstreams) {
        int ignored = sentinels.set(List.copyOf(upstreams));
        if (ignored > 0) {
            replies.count(StubCounter.UPSTREAMS_IGNORED, ignored);
            if (!tooManyUpstreamsLogged) {
                tooManyUpstreamsLogged = true;
                Logger.warn("{} upstream DNS servers given, only the first {} are used", upstreams.size(),
                        MAX_UPSTREAMS);
            }
        }
        int dropped = forwarder.dropUnlisted(sentinels);
        Logger.debug("stub resolver upstreams {}; {} forwarded queries dropped", sentinels.list(), dropped);
        return sentinels.list();
    }

    /** The DNS resources; entries whose resource is not a DNS resource are ignored. */
    public void setResources(List<ClientResource> resources) {
        this.resources.set(resources);
        for (ProxyPool.Entry e : proxies.entries()) {
            e.target = target(e);
        }
    }

    /** Whether an IPv4 destination is a sentinel with an upstream. Allocation-free. */
    public boolean isSentinel4(int address) {
        return sentinels.upstream4(address) != null;
    }

    /** Whether an IPv6 destination (two halves) is a sentinel with an upstream. Allocation-free. */
    public boolean isSentinel6(long high, long low) {
        return sentinels.upstream6(high, low) != null;
    }

    /**
     * Whether a parsed packet is one for {@link #handleQuery}: an unfragmented UDP datagram to port 53 of a
     * sentinel with an upstream. Allocation-free, for the client's per-packet path.
     */
    public boolean isQuery(IpPacket packet) {
        if (packet.protocol() != IpProtocol.UDP || packet.fragment() != FragmentPosition.NONE
                || packet.destinationPort() != ReplyPath.DNS_PORT) {
            return false;
        }
        return packet.version() == 4 ? isSentinel4(packet.ipv4().destination())
                : isSentinel6(packet.ipv6().destinationHigh(), packet.ipv6().destinationLow());
    }

    /**
     * Handles an IP packet from the TUN device, {@code length} bytes at absolute {@code offset} of
     * {@code ipPacket}: a UDP datagram to a sentinel's port 53 carrying a DNS query.
     */
    public StubResult handleQuery(ByteBuffer ipPacket, int offset, int length, long nowNs) {
        advance(nowNs);
        if (offset < 0 || length < 0 || offset > ipPacket.limit() - length) {
            return replies.drop(StubCounter.NOT_A_DNS_PACKET);
        }
        IpPacket p = parser.parseOrNull(ipPacket, offset, length);
        if (p == null || p.protocol() != IpProtocol.UDP || p.fragment() != FragmentPosition.NONE
                || p.destinationPort() != ReplyPath.DNS_PORT) {
            return replies.drop(StubCounter.NOT_A_DNS_PACKET);
        }
        InetSocketAddress upstream;
        ReplyPath reply;
        if (p.version() == 4) {
            upstream = sentinels.upstream4(p.ipv4().destination());
            reply = ReplyPath.ipv4(p.ipv4().source(), p.sourcePort(), p.ipv4().destination());
        } else {
            var v6 = p.ipv6();
            upstream = sentinels.upstream6(v6.destinationHigh(), v6.destinationLow());
            reply = ReplyPath.ipv6(v6.sourceHigh(), v6.sourceLow(), p.sourcePort(), v6.destinationHigh(),
                    v6.destinationLow());
        }
        if (upstream == null) {
            return replies.drop(StubCounter.UNKNOWN_SENTINEL);
        }
        int dnsOffset = p.udp().payloadOffset();
        int dnsBytes = p.udp().payloadLengthBytes();
        return switch (DnsParser.parse(ipPacket, dnsOffset, dnsBytes)) {
            case DnsParseResult.Query(DnsQuery query) -> answer(query, reply, upstream, ipPacket, dnsOffset, dnsBytes,
                    nowNs);
            case DnsParseResult.Rejected rejected -> malformed(rejected, reply);
        };
    }

    /**
     * The upstream's response to {@link StubResult.Forward} {@code queryId}, in {@code dnsMessage} from its
     * position to its limit (neither is changed), or null when the shell could not get one (SERVFAIL).
     */
    public StubResult handleUpstreamResponse(long queryId, ByteBuffer dnsMessage, long nowNs) {
        advance(nowNs);
        return forwarder.onResponse(queryId, dnsMessage);
    }

    /** Forgets the forwarded queries whose timeout has passed (no answer is sent for them). */
    public void handleTimeout(long nowNs) {
        advance(nowNs);
        forwarder.expire(nowNs);
    }

    /** The earliest deadline in ns at which {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        return forwarder.nextDeadlineNs();
    }

    /** The domain an IPv4 proxy address stands for, or null when it is not an assigned one. Allocation-free. */
    public ProxyTarget lookupProxy4(int address) {
        ProxyPool.Entry e = proxies.lookup4(address);
        return e == null ? null : e.target;
    }

    /** The domain an IPv6 proxy address stands for, or null when it is not an assigned one. Allocation-free. */
    public ProxyTarget lookupProxy6(long high, long low) {
        ProxyPool.Entry e = proxies.lookup6(high, low);
        return e == null ? null : e.target;
    }

    /**
     * The next domain answered with proxy addresses (one entry per A/AAAA answer, oldest first), or null. The
     * client re-sends the domain's assigned addresses to its gateway for each.
     */
    public String pollAnsweredDomain() {
        return answeredDomains.poll();
    }

    /** Every domain that has proxy addresses, with them (4 IPv4 then 4 IPv6), for {@link #seed} later. */
    public DnsRecords export() {
        Map<String, List<InetAddress>> byDomain = new LinkedHashMap<>();
        for (ProxyPool.Entry e : proxies.entries()) {
            byDomain.put(e.domain, e.proxies);
        }
        return new DnsRecords(byDomain);
    }

    /**
     * Gives the domains of an earlier session's {@link #export} their addresses again, and moves the
     * allocator past every seeded address. Entries that are not a valid name with 4 IPv4 then 4 IPv6 proxy
     * addresses in the ranges, or that clash with a domain or address already here, are ignored and counted.
     */
    public void seed(DnsRecords records) {
        for (Map.Entry<String, List<InetAddress>> r : records.byDomain().entrySet()) {
            String domain = normalize(r.getKey());
            ProxyPool.Entry e = domain == null ? null : proxies.seed(domain, r.getValue());
            if (e == null) {
                replies.count(StubCounter.SEED_REJECTED, 1);
                Logger.debug("seeded DNS record for {} ignored: {}", r.getKey(), r.getValue());
            } else {
                e.target = target(e);
            }
        }
    }

    /** Roaming: forgets every forwarded query (no answers are sent for them). Proxy addresses stay. */
    public void reset() {
        forwarder.reset();
    }

    /** How many times {@code c} happened. */
    public long count(StubCounter c) {
        return replies.count(c);
    }

    /** Forwarded queries waiting for an answer. */
    public int inFlight() {
        return forwarder.size();
    }

    private StubResult answer(DnsQuery query, ReplyPath reply, InetSocketAddress upstream, ByteBuffer packet,
                              int dnsOffset, int dnsBytes, long nowNs) {
        String domain = query.domain();
        if (query.qclass() == DnsQuery.CLASS_IN) {
            if (domain.equals(DOH_CANARY)) {
                return replies.empty(query, DnsRcode.NXDOMAIN, reply, StubCounter.ANSWERED_LOCALLY);
            }
            if (query.type() == DnsQuery.TYPE_PTR) {
                ProxyPool.Entry e = reverseLookup(domain);
                if (e != null) {
                    int n = DnsResponseWriter.writePtr(query, e.domain, TTL_SECONDS, query.udpResponseLimitBytes(),
                            replies.dns(), 0);
                    return replies.answered(reply, n, StubCounter.ANSWERED_LOCALLY);
                }
            }
            List<ClientResource> matching = resources.matching(domain);
            if (!matching.isEmpty()) {
                StubResult local = resourceAnswer(query, domain, matching.getFirst(), reply);
                if (local != null) {
                    return local;
                }
            }
        }
        return forwarder.forward(query, reply, upstream, packet, dnsOffset, dnsBytes, nowNs);
    }

    /** The local answer for a resource's name, or null when the type is one to forward. */
    private StubResult resourceAnswer(DnsQuery query, String domain, ClientResource first, ReplyPath reply) {
        int type = query.type();
        if (type == DnsQuery.TYPE_HTTPS) {
            return replies.empty(query, DnsRcode.NOERROR, reply, StubCounter.ANSWERED_LOCALLY);
        }
        if (type != DnsQuery.TYPE_A && type != DnsQuery.TYPE_AAAA) {
            return null;
        }
        ProxyPool.Entry e = proxies.get(domain);
        if (e == null) {
            e = proxies.allocate(domain);
            if (e == null) {
                if (!exhaustionLogged) {
                    exhaustionLogged = true;
                    Logger.warn("proxy addresses exhausted, reset the client ({} domains have them)", proxies.size());
                }
                return replies.empty(query, DnsRcode.SERVFAIL, reply, StubCounter.PROXIES_EXHAUSTED);
            }
            e.target = target(e);
            Logger.debug("proxy addresses {} for {} (rid={})", e.proxies, domain, first.id());
        }
        boolean wanted = type == DnsQuery.TYPE_A ? first.ipStack().ipv4() : first.ipStack().ipv6();
        List<InetAddress> addresses = wanted ? (type == DnsQuery.TYPE_A ? e.ipv4() : e.ipv6()) : List.of();
        int n = DnsResponseWriter.writeAnswer(query, addresses, TTL_SECONDS, query.udpResponseLimitBytes(),
                replies.dns(), 0);
        if (answeredDomains.size() >= MAX_ANSWERED_DOMAINS) {
            answeredDomains.poll();
            replies.count(StubCounter.ANSWERED_DOMAIN_DROPPED, 1);
        }
        answeredDomains.add(domain);
        Logger.trace("{} {} answered locally for {}", domain, type == DnsQuery.TYPE_A ? "A" : "AAAA", reply);
        return replies.answered(reply, n, StubCounter.ANSWERED_LOCALLY);
    }

    private StubResult malformed(DnsParseResult.Rejected rejected, ReplyPath reply) {
        if (!rejected.answerable()) {
            Logger.trace("DNS message dropped: {}", rejected.reason());
            return replies.drop(StubCounter.MALFORMED_DROPPED);
        }
        DnsRcode rcode = rejected.reason() == DnsRejection.UNSUPPORTED_OPCODE ? DnsRcode.NOTIMP : DnsRcode.FORMERR;
        Logger.trace("DNS query refused with {}: {}", rcode, rejected.reason());
        int n = DnsResponseWriter.writeHeaderOnly(rejected.id(), rcode, replies.dns(), 0);
        return replies.answered(reply, n, StubCounter.MALFORMED_ANSWERED);
    }

    private ProxyPool.Entry reverseLookup(String name) {
        long v4 = ReverseName.ipv4(name);
        if (v4 >= 0) {
            return proxies.lookup4((int) v4);
        }
        return ReverseName.ipv6(name, reverse6) ? proxies.lookup6(reverse6[0], reverse6[1]) : null;
    }

    private ProxyTarget target(ProxyPool.Entry e) {
        return new ProxyTarget(e.domain, resources.matchingIds(e.domain), e.proxies);
    }

    private void advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards: " + nowNs + " < " + lastNowNs;
        lastNowNs = Math.max(lastNowNs, nowNs);
    }

    /** Lower case without one trailing dot, or null when that is not a writable DNS name. */
    static String normalize(String name) {
        if (name == null) {
            return null;
        }
        String n = (name.endsWith(".") ? name.substring(0, name.length() - 1) : name).toLowerCase(Locale.ROOT);
        return ProxyPool.isValidName(n) ? n : null;
    }
}
