package zonegate.tunnel.sim;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.tunnel.SiteStatus;

/**
 * The reference model of {@link DataPlaneModelFuzzTest}: what the client, its two gateways (one per site,
 * named like the site) and the portal must do, written from the README's rules and nothing else. It knows
 * the resource catalogue, the portal's policy, which resources the client holds through which gateway,
 * which the gateways hold (with expiries), the DNS-resource setups per gateway and domain, the proxy
 * addresses handed out, the Internet toggle and the allowed status of each site. Where the real system may
 * legitimately go either way (a goodbye on a WireGuard session that may have expired while idle, a
 * connection a partition may or may not have broken) the model says so ({@link #unsettled}, maybe-held
 * authorisations) and the harness does not judge what depends on it until it is settled by observation.
 */
final class DataPlaneModel {
    /** A slot's definition; {@code address} is a CIDR range or a DNS pattern. */
    record Res(int slot, boolean dns, String address, String site, List<Filter> filters) {
        static Res of(int slot, ModelAction.Spec spec) {
            return new Res(slot, spec.dns(), spec.dns() ? ModelUniverse.PATTERNS[spec.address()]
                    : ModelUniverse.CIDRS[spec.address()], spec.site(),
                    ModelUniverse.FILTERS.get(spec.filters()));
        }
    }

    /** What a probe must come to. */
    sealed interface Outcome {
    }

    /** Delivered once at {@code host} behind {@code gateway}, answered back to the client. */
    record Deliver(String gateway, InetAddress host) implements Outcome {
    }

    /** An ICMP error back to the client: administratively prohibited, else network unreachable. */
    record IcmpError(boolean prohibited) implements Outcome {
    }

    /** Refused by the portal: nothing anywhere. */
    record Silent() implements Outcome {
    }

    /** The model cannot say (the step is skipped, not sent). */
    record NotJudged(String why) implements Outcome {
    }

    /** A goodbye is certain only on a session this young (a handshake is at most 120 s older than data). */
    static final long FRESH_SESSION_NS = 55 * TunnelSim.S;
    static final long OFFLINE_RESET_NS = 300 * TunnelSim.S;

    final Res[] catalog = new Res[ModelUniverse.SLOTS];
    final boolean[] policy = new boolean[ModelUniverse.SLOTS + 1];
    boolean internetEnabled;
    /** Slot -> the gateway the client holds it through. */
    final Map<Integer, String> clientAuth = new TreeMap<>();
    /** Gateways the client has a connection with. */
    final Set<String> connected = new HashSet<>();
    /** Gateway -> slot -> expiry (Unix seconds). */
    final Map<String, Map<Integer, Long>> gatewayAuth = new HashMap<>(Map.of("hq", new TreeMap<>(), "lab", new TreeMap<>()));
    /** Gateway -> slots the gateway may or may not still hold (a goodbye that may have been lost). */
    final Map<String, Set<Integer>> maybeHeld = new HashMap<>(Map.of("hq", new HashSet<>(), "lab", new HashSet<>()));
    /** Gateway -> domain -> active, as the gateway answered the client's AssignedIps. */
    final Map<String, Map<String, Boolean>> setups = new HashMap<>(Map.of("hq", new HashMap<>(), "lab", new HashMap<>()));
    /** Gateway -> domains whose status may be either (re-sent on a session that may have expired). */
    final Map<String, Set<String>> maybeSetups = new HashMap<>(Map.of("hq", new HashSet<>(), "lab", new HashSet<>()));
    final Map<String, Long> lastDataNs = new HashMap<>();
    /** Domain -> its 4 IPv4 then 4 IPv6 proxy addresses, as first answered (a family not asked yet: nulls). */
    final Map<String, InetAddress[]> proxies = new HashMap<>();
    final Map<String, EnumSet<SiteStatus>> sites = new TreeMap<>();
    final Map<String, Long> offlineResetNs = new HashMap<>();
    /** Gateways whose connection with the client must go away by the deadline (ns). */
    final Map<String, Long> unsettled = new HashMap<>();
    /**
     * Gateway -> the statuses its site may still read at this check: its last authorisation expired in this
     * very second, so the goodbye that makes the client forget it may not have arrived yet.
     */
    final Map<String, Set<SiteStatus>> goodbyeInFlight = new HashMap<>();
    /** When a gateway or a relay was partitioned (at most one per action, so at most 40): a goodbye then is lost. */
    final List<Outage> outages = new ArrayList<>();

    /**
     * Partitions of one target this close together are one outage: a consent check in flight is retransmitted
     * at least every 1.5 s (the client's RTO cap; the gateway's is 325 ms), so a longer gap surely answers it.
     */
    static final long OUTAGE_MERGE_GAP_NS = 2 * TunnelSim.S;
    /**
     * An outage this long may break a connection through its target, whatever each partition's length: every
     * send of one consent check may fall into it (the gateway's sends span 14.55 s, the client's 15.25 s, an
     * active client fails at 16.75 s), and a connection can turn active during it (a relay candidate withdrawn).
     */
    static final long MAY_BREAK_OUTAGE_NS = 14 * TunnelSim.S;

    /** A partition of {@code target} (a gateway's site or a relay), from {@code fromNs} to {@code toNs}. */
    record Outage(String target, long fromNs, long toNs) {
    }

    Res resource(int slot) {
        return slot == ModelUniverse.INTERNET ? new Res(slot, false, null, "hq", List.of()) : catalog[slot];
    }

    /** The sites the listed resources name (the Internet resource always lists hq). */
    Set<String> listedSites() {
        Set<String> out = new HashSet<>(Set.of("hq"));
        Arrays.stream(catalog).filter(r -> r != null).forEach(r -> out.add(r.site()));
        return out;
    }

    /** After the listing changed: new sites start Unknown, gone ones are dropped. */
    void retainSites() {
        Set<String> listed = listedSites();
        sites.keySet().retainAll(listed);
        offlineResetNs.keySet().retainAll(listed);
        listed.forEach(s -> sites.putIfAbsent(s, EnumSet.of(SiteStatus.UNKNOWN)));
    }

    void setSite(String site, long nowNs, SiteStatus... allowed) {
        if (!sites.containsKey(site)) {
            return;
        }
        sites.put(site, EnumSet.copyOf(List.of(allowed)));
        if (List.of(allowed).contains(SiteStatus.OFFLINE)) {
            offlineResetNs.put(site, nowNs + OFFLINE_RESET_NS);
        } else {
            offlineResetNs.remove(site);
        }
    }

    /** The slot the client routes {@code destination} to, or null (README: routing order, steps 4 to 6). */
    Integer route(InetAddress destination) {
        String proxyOwner = proxyOwner(destination);
        if (proxyOwner != null) {
            return dnsSlot(proxyOwner);
        }
        Integer best = null;
        int bestLength = -1;
        for (Res r : catalog) {
            if (r == null || r.dns()) {
                continue;
            }
            int length = prefixLength(r.address());
            if (contains(r.address(), destination) && length > bestLength) {
                best = r.slot();
                bestLength = length;
            }
        }
        if (best != null) {
            return best;
        }
        return internetEnabled && ModelUniverse.PUBLIC.contains(SimPackets.text(destination))
                ? ModelUniverse.INTERNET : null;
    }

    /** The most specific DNS slot whose pattern matches {@code domain} (slot order = id order), or null. */
    Integer dnsSlot(String domain) {
        Res best = null;
        for (Res r : catalog) {
            if (r != null && r.dns() && DnsPattern.of(r.address()).matches(domain) && (best == null
                    || DnsPattern.SPECIFICITY.compare(DnsPattern.of(r.address()), DnsPattern.of(best.address())) < 0)) {
                best = r;
            }
        }
        return best == null ? null : best.slot();
    }

    String proxyOwner(InetAddress address) {
        for (var e : proxies.entrySet()) {
            if (Arrays.asList(e.getValue()).contains(address)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Whether the gateway surely holds the slot now; null when it may or may not. */
    Boolean holds(String gateway, int slot) {
        if (maybeHeld.get(gateway).contains(slot)) {
            return null;
        }
        return gatewayAuth.get(gateway).containsKey(slot);
    }

    /** Whether the gateway accepts AssignedIps for {@code domain}: it holds a DNS slot matching it. */
    Boolean accepts(String gateway, String domain) {
        boolean maybe = false;
        for (int slot : gatewayAuth.get(gateway).keySet()) {
            Res r = resource(slot);
            if (r != null && r.dns() && DnsPattern.of(r.address()).matches(domain)) {
                if (maybeHeld.get(gateway).contains(slot)) {
                    maybe = true;
                } else {
                    return true;
                }
            }
        }
        return maybe ? null : false;
    }

    static boolean allows(List<Filter> filters, ModelUniverse.Kind kind) {
        return filters.isEmpty() || filters.stream().anyMatch(f -> switch (f) {
            case Filter.Icmp i -> kind == ModelUniverse.Kind.PING;
            case Filter.Udp(int from, int to) -> kind == ModelUniverse.Kind.UDP_5000 && from <= 5000 && 5000 <= to;
            case Filter.Tcp(int from, int to) -> {
                int port = kind == ModelUniverse.Kind.TCP_443 ? 443 : kind == ModelUniverse.Kind.TCP_22 ? 22 : -1;
                yield from <= port && port <= to;
            }
        });
    }

    /** Whether a goodbye sent now on the connection with {@code gateway} surely arrives. */
    boolean freshSession(String gateway, long nowNs) {
        Long last = lastDataNs.get(gateway);
        return last != null && nowNs - last < FRESH_SESSION_NS;
    }

    /**
     * Whether a partition was on within a second of {@code atNs} (an expiry's instant is known to the
     * second): a goodbye the gateway sent then may have been lost, directly or through a relay.
     */
    boolean duringOutage(long atNs) {
        return outages.stream().anyMatch(o -> o.fromNs() - TunnelSim.S <= atNs && atNs <= o.toNs() + TunnelSim.S);
    }

    /**
     * How long {@code target} has been dark up to the end of its last partition: that partition and the ones
     * of the same target before it with gaps under {@link #OUTAGE_MERGE_GAP_NS}, as one outage.
     */
    long outageNs(String target) {
        Long fromNs = null;
        Long toNs = null;
        for (int i = outages.size() - 1; i >= 0; i--) {
            Outage o = outages.get(i);
            if (!o.target().equals(target)) {
                continue;
            }
            if (toNs == null) {
                toNs = o.toNs();
            } else if (fromNs - o.toNs() >= OUTAGE_MERGE_GAP_NS) {
                break;
            }
            fromNs = o.fromNs();
        }
        return toNs == null ? 0 : toNs - fromNs;
    }

    /** The client forgets a gateway: every slot through it, its setups. */
    void forget(String gateway) {
        clientAuth.values().removeIf(gateway::equals);
        connected.remove(gateway);
        setups.get(gateway).clear();
        maybeSetups.get(gateway).clear();
        unsettled.remove(gateway);
    }

    /**
     * The gateway's last authorisation went: a goodbye (the client forgets it, site Unknown) when the session
     * surely carries it and no partition can have swallowed it (an expiry falling due during one), else the
     * connection must go away within 90 s one way or the other.
     */
    void lastAuthorisationGone(String gateway, long nowNs) {
        maybeHeld.get(gateway).clear();
        if (!connected.contains(gateway)) {
            return;
        }
        if (freshSession(gateway, nowNs) && !duringOutage(nowNs)) {
            forget(gateway);
            setSite(gateway, nowNs, SiteStatus.UNKNOWN);
        } else {
            unsettled.put(gateway, nowNs + 90 * TunnelSim.S);
        }
    }

    /** Removes a slot at a gateway (revoked, expired, deleted); the last one ends the connection. */
    void removeAtGateway(String gateway, int slot, long nowNs) {
        Map<Integer, Long> held = gatewayAuth.get(gateway);
        boolean was = held.remove(slot) != null;
        maybeHeld.get(gateway).remove(slot);
        if (was && held.isEmpty()) {
            lastAuthorisationGone(gateway, nowNs);
        } else if (was && held.keySet().stream().allMatch(maybeHeld.get(gateway)::contains) && connected.contains(gateway)) {
            unsettled.put(gateway, nowNs + 90 * TunnelSim.S);
        }
    }

    /**
     * Expiries due at {@code wallSeconds}, as of {@code nowNs} (which approximates when they fell due, to the
     * second). An expiry due in this very second may have fallen due at the gateway a moment ago: its goodbye
     * may still be on its way (a hop is 10 ms), so until the next check the site may also read as it did
     * ({@link #goodbyeInFlight}); the next check is at least 300 ms later and judges it strictly.
     */
    void expire(long wallSeconds, long nowNs) {
        goodbyeInFlight.clear();
        for (String g : List.of("hq", "lab")) {
            for (var e : new ArrayList<>(gatewayAuth.get(g).entrySet())) {
                if (e.getValue() <= wallSeconds) {
                    long dueNs = nowNs - (wallSeconds - e.getValue()) * TunnelSim.S;
                    boolean wasConnected = connected.contains(g);
                    EnumSet<SiteStatus> before = sites.containsKey(g) ? EnumSet.copyOf(sites.get(g)) : null;
                    removeAtGateway(g, e.getKey(), dueNs);
                    if (e.getValue() == wallSeconds && wasConnected && !connected.contains(g) && before != null) {
                        before.add(SiteStatus.ONLINE);
                        goodbyeInFlight.put(g, before);
                    }
                }
            }
        }
    }

    /** Offline sites whose 5 minutes are up. */
    void resetOffline(long nowNs) {
        for (var e : new ArrayList<>(offlineResetNs.entrySet())) {
            if (e.getValue() <= nowNs) {
                offlineResetNs.remove(e.getKey());
                EnumSet<SiteStatus> s = sites.get(e.getKey());
                if (s != null && s.remove(SiteStatus.OFFLINE)) {
                    s.add(SiteStatus.UNKNOWN);
                }
            }
        }
    }

    /** Whether an expiry is within 2 s of now (the exact instant is the gateway's). */
    boolean nearExpiry(long wallSeconds) {
        return gatewayAuth.values().stream().flatMap(m -> m.values().stream())
                .anyMatch(e -> e != Long.MAX_VALUE && Math.abs(e - wallSeconds) <= 2);
    }

    static boolean contains(String cidr, InetAddress address) {
        int slash = cidr.indexOf('/');
        byte[] net = SimPackets.ip(cidr.substring(0, slash)).getAddress();
        byte[] a = address.getAddress();
        if (net.length != a.length) {
            return false;
        }
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((net[i / 8] & mask) != (a[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    static int prefixLength(String cidr) {
        return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    }

    static boolean v4(InetAddress address) {
        return address instanceof Inet4Address;
    }
}
