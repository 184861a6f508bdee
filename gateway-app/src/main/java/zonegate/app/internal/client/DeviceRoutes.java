package zonegate.app.internal.client;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tinylog.Logger;
import zonegate.filter.Cidr;
import zonegate.filter.TunnelAddresses;
import zonegate.nat64.Addresses;
import zonegate.shell.io.Rtnetlink;
import zonegate.tunnel.TunConfig;

/**
 * Applies each {@link TunConfig} to the TUN device as a difference from the last one: addresses and routes
 * that went are removed, new ones added, what stayed is not touched (a resource added to a long list costs one
 * route, not a rebuild).
 *
 * <p>Every route but the default ones goes to the main table. The Internet resource's default routes
 * (0.0.0.0/0, ::/0) go to table {@value #INTERNET_TABLE} instead, with policy rules per family, as wg-quick
 * does it:
 * <pre>
 * priority {@value #PORTAL_PRIORITY}: to PORTAL-ADDRESS lookup main      the portal's connection stays outside
 * priority {@value #MAIN_PRIORITY}: lookup main suppress_prefixlength 0  every main route but the default
 * priority {@value #INTERNET_PRIORITY}: not fwmark {@value #FWMARK} lookup {@value #INTERNET_TABLE}  the rest, unless marked
 * </pre>
 * The client's own UDP sockets carry fwmark {@value #FWMARK} (SO_MARK), so its datagrams to gateways, relays and
 * DNS servers take the host's default route and never loop into the device.
 *
 * <p>A change the kernel refuses is logged (WARN) and not recorded as applied, so the next configuration tries
 * it again. State thread only.
 */
final class DeviceRoutes {
    /** The routing table of the Internet resource's default routes. */
    static final int INTERNET_TABLE = 31335;
    /** The fwmark of the client's own sockets: their traffic skips {@link #INTERNET_TABLE}. */
    static final int FWMARK = 0x7a67;
    static final int PORTAL_PRIORITY = 31331;
    static final int MAIN_PRIORITY = 31332;
    static final int INTERNET_PRIORITY = 31333;

    private final DeviceSettings device;
    private final List<InetAddress> excluded;
    private final Set<Cidr> addresses = new LinkedHashSet<>();
    private final Set<Cidr> routes = new LinkedHashSet<>();
    private final Set<Boolean> internetFamilies = new LinkedHashSet<>();

    /**
     * @param excluded addresses that keep the host's routes while the Internet resource is on (the portal's)
     */
    DeviceRoutes(DeviceSettings device, List<InetAddress> excluded) {
        this.device = device;
        this.excluded = List.copyOf(excluded);
    }

    /** Brings the device from the last applied configuration to {@code config}. */
    void apply(TunConfig config) {
        applyAddresses(config.addresses());
        Set<Cidr> wanted = new LinkedHashSet<>();
        Set<Boolean> wantedInternet = new LinkedHashSet<>();
        for (Cidr route : config.routes()) {
            if (route.prefixLengthBits() == 0) {
                wantedInternet.add(route.version() == 6);
            } else {
                wanted.add(route);
            }
        }
        for (Cidr gone : difference(routes, wanted)) {
            attempt("remove route " + gone, () -> device.removeRoute(gone, Rtnetlink.MAIN_TABLE));
            routes.remove(gone);
        }
        for (Cidr added : difference(wanted, routes)) {
            if (attempt("add route " + added, () -> device.addRoute(added, Rtnetlink.MAIN_TABLE))) {
                routes.add(added);
            }
        }
        for (boolean ipv6 : List.of(false, true)) {
            boolean want = wantedInternet.contains(ipv6);
            if (want && !internetFamilies.contains(ipv6) && routeEverything(ipv6)) {
                internetFamilies.add(ipv6);
            } else if (!want && internetFamilies.remove(ipv6)) {
                stopRoutingEverything(ipv6, true);
            }
        }
    }

    /** The routes applied in the main table. */
    Set<Cidr> routes() {
        return Set.copyOf(routes);
    }

    /** The families whose default route goes through the device. */
    Set<Boolean> internetFamilies() {
        return Set.copyOf(internetFamilies);
    }

    /**
     * Removes the policy rules (at stop: the routes go with the device). Every route and address counts as
     * gone afterwards.
     */
    void close() {
        for (boolean ipv6 : List.copyOf(internetFamilies)) {
            stopRoutingEverything(ipv6, false);
        }
        internetFamilies.clear();
        routes.clear();
        addresses.clear();
    }

    /** The device was recreated empty: nothing counts as applied (the rules stay; they name no device). */
    void forgetDevice() {
        routes.clear();
        addresses.clear();
    }

    /**
     * Removes the rules a client that crashed may have left (at start, before anything is applied). The
     * portal rules of that run named addresses we may not know: they are removed by priority.
     */
    static void removeLeftovers(DeviceSettings device) {
        for (boolean ipv6 : List.of(false, true)) {
            for (Rtnetlink.Rule rule : List.of(internetRule(ipv6), mainRule(ipv6),
                    new Rtnetlink.Rule(ipv6, PORTAL_PRIORITY, Rtnetlink.MAIN_TABLE, null, 0, 0, false, -1))) {
                try {
                    device.removeRule(rule);
                } catch (IOException e) {
                    Logger.debug("no leftover rule {}: {}", rule, e.getMessage());
                }
            }
        }
    }

    private void applyAddresses(TunnelAddresses tunnel) {
        Set<Cidr> wanted = new LinkedHashSet<>(List.of(Cidr.v4(tunnel.ipv4(), 32),
                Cidr.v6(tunnel.ipv6High(), tunnel.ipv6Low(), 128)));
        for (Cidr gone : difference(addresses, wanted)) {
            attempt("remove address " + gone, () -> device.removeAddress(address(gone), gone.prefixLengthBits()));
            addresses.remove(gone);
        }
        for (Cidr added : difference(wanted, addresses)) {
            if (attempt("add address " + added, () -> device.addAddress(address(added), added.prefixLengthBits()))) {
                addresses.add(added);
            }
        }
    }

    private boolean routeEverything(boolean ipv6) {
        Cidr all = defaultRoute(ipv6);
        if (!attempt("add route " + all + " table " + INTERNET_TABLE, () -> device.addRoute(all, INTERNET_TABLE))) {
            return false;
        }
        for (Rtnetlink.Rule rule : rules(ipv6)) {
            if (!attempt("add rule " + rule, () -> device.addRule(rule))) {
                stopRoutingEverything(ipv6, true);
                return false;
            }
        }
        Logger.info("all {} traffic now goes through the tunnel (table {}, fwmark 0x{} excluded)", ipv6 ? "IPv6" : "IPv4",
                INTERNET_TABLE, Integer.toHexString(FWMARK));
        return true;
    }

    private void stopRoutingEverything(boolean ipv6, boolean removeRoute) {
        List<Rtnetlink.Rule> rules = new ArrayList<>(rules(ipv6));
        java.util.Collections.reverse(rules);
        for (Rtnetlink.Rule rule : rules) {
            attempt("remove rule " + rule, () -> device.removeRule(rule));
        }
        if (removeRoute) {
            Cidr all = defaultRoute(ipv6);
            attempt("remove route " + all + " table " + INTERNET_TABLE, () -> device.removeRoute(all, INTERNET_TABLE));
        }
    }

    private List<Rtnetlink.Rule> rules(boolean ipv6) {
        List<Rtnetlink.Rule> rules = new ArrayList<>();
        for (InetAddress portal : excluded) {
            if ((portal.getAddress().length == 16) == ipv6) {
                rules.add(Rtnetlink.Rule.to(portal, ipv6 ? 128 : 32, PORTAL_PRIORITY, Rtnetlink.MAIN_TABLE));
            }
        }
        rules.add(mainRule(ipv6));
        rules.add(internetRule(ipv6));
        return rules;
    }

    private static Rtnetlink.Rule mainRule(boolean ipv6) {
        return Rtnetlink.Rule.mainWithoutDefault(ipv6, MAIN_PRIORITY);
    }

    private static Rtnetlink.Rule internetRule(boolean ipv6) {
        return Rtnetlink.Rule.unlessMarked(ipv6, INTERNET_PRIORITY, FWMARK, INTERNET_TABLE);
    }

    private static Cidr defaultRoute(boolean ipv6) {
        return Cidr.parse(ipv6 ? "::/0" : "0.0.0.0/0");
    }

    /** The range's first address. */
    static InetAddress address(Cidr range) {
        return range.version() == 4 ? Addresses.toInet4((int) range.low())
                : Addresses.toInet6(range.high(), range.low());
    }

    private interface Change {
        void run() throws IOException;
    }

    private static boolean attempt(String what, Change change) {
        try {
            change.run();
            return true;
        } catch (IOException | RuntimeException e) {
            Logger.warn("could not {} on the TUN device: {}", what, e.getMessage());
            return false;
        }
    }

    private static <T> List<T> difference(Set<T> a, Set<T> b) {
        List<T> out = new ArrayList<>();
        for (T t : a) {
            if (!b.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }
}
