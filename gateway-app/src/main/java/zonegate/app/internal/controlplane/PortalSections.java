package zonegate.app.internal.controlplane;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import zonegate.app.internal.controlplane.ConfigNode.ConfigObject;
import zonegate.app.internal.controlplane.ConfigNode.ConfigString;
import zonegate.app.internal.controlplane.ConfigNode.Position;
import zonegate.app.spi.ResourceSpec;
import zonegate.controlplane.Wire;
import zonegate.filter.Cidr;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.portal.PortalPolicy;

/** The entity sections of {@code portal.json}: sites, gateways, relays, clients, resources' sites, policies. */
final class PortalSections {
    /** Names appear in logs (gid, cid, relay) and in TURN usernames. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Cidr TUNNEL_V4 = Cidr.parse("100.64.0.0/11");
    private static final Cidr TUNNEL_V6 = Cidr.parse("fd00:2021:1111::/107");

    private final Problems problems;
    private final Map<String, Position> sites = new HashMap<>();
    private final Map<String, Position> clientNames = new HashMap<>();

    PortalSections(Problems problems) {
        this.problems = problems;
    }

    List<PortalPolicy.Site> sites(List<ConfigNode> nodes) {
        List<PortalPolicy.Site> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Optional<Fields> f = Fields.of(nodes.get(i), "sites[" + i + "]", problems, Set.of("id", "name", "description"));
            if (f.isEmpty()) {
                continue;
            }
            f.get().string("description");
            Optional<String> id = f.get().requiredString("id").filter(v -> unique(f.get(), "id", v,
                    ResourcesSection.ID, "site id", sites));
            Optional<String> name = f.get().has("name") ? f.get().string("name") : id;
            if (id.isPresent() && name.isPresent()) {
                out.add(new PortalPolicy.Site(id.get(), name.get()));
            }
        }
        return out;
    }

    List<PortalPolicy.Gateway> gateways(List<ConfigNode> nodes) {
        Map<String, Position> names = new HashMap<>();
        Map<String, Position> tokens = new HashMap<>();
        List<PortalPolicy.Gateway> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Optional<Fields> f = Fields.of(nodes.get(i), "gateways[" + i + "]", problems,
                    Set.of("name", "site", "tokenSha256", "description"));
            if (f.isEmpty()) {
                continue;
            }
            f.get().string("description");
            Optional<String> name = f.get().requiredString("name").filter(v -> unique(f.get(), "name", v, NAME,
                    "gateway name", names));
            Optional<String> site = f.get().requiredString("site").filter(v -> known(f.get(), "site", v, sites, "site"));
            Optional<String> token = token(f.get(), tokens);
            if (name.isPresent() && site.isPresent() && token.isPresent()) {
                out.add(new PortalPolicy.Gateway(name.get(), site.get(), token.get()));
            }
        }
        return out;
    }

    List<PortalPolicy.Relay> relays(List<ConfigNode> nodes) {
        Map<String, Position> names = new HashMap<>();
        Map<String, Position> tokens = new HashMap<>();
        List<PortalPolicy.Relay> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Optional<Fields> f = Fields.of(nodes.get(i), "relays[" + i + "]", problems,
                    Set.of("name", "tokenSha256", "description"));
            if (f.isEmpty()) {
                continue;
            }
            f.get().string("description");
            Optional<String> name = f.get().requiredString("name").filter(v -> unique(f.get(), "name", v, NAME,
                    "relay name", names));
            Optional<String> token = token(f.get(), tokens);
            if (name.isPresent() && token.isPresent()) {
                out.add(new PortalPolicy.Relay(name.get(), token.get()));
            }
        }
        return out;
    }

    List<PortalPolicy.Client> clients(List<ConfigNode> nodes) {
        Map<String, Position> tokens = new HashMap<>();
        Map<InetAddress, Position> addresses = new HashMap<>();
        List<PortalPolicy.Client> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Optional<Fields> f = Fields.of(nodes.get(i), "clients[" + i + "]", problems,
                    Set.of("name", "tokenSha256", "ipv4", "ipv6", "description"));
            if (f.isEmpty()) {
                continue;
            }
            f.get().string("description");
            Optional<String> name = f.get().requiredString("name").filter(v -> unique(f.get(), "name", v, NAME,
                    "client name", clientNames));
            Optional<String> token = token(f.get(), tokens);
            Optional<String> ipv4 = address(f.get(), "ipv4", Inet4Address.class, TUNNEL_V4, addresses);
            Optional<String> ipv6 = address(f.get(), "ipv6", Inet6Address.class, TUNNEL_V6, addresses);
            if (name.isPresent() && token.isPresent() && ipv4.isPresent() && ipv6.isPresent()) {
                out.add(new PortalPolicy.Client(name.get(), token.get(), ipv4.get(), ipv6.get()));
            }
        }
        return out;
    }

    /** The valid resources as the portal sends them, each with its (required, known) site. */
    List<Wire.Resource> resources(List<ConfigNode> nodes, ResourcesSection.Read read) {
        Map<String, String> siteOf = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!(nodes.get(i) instanceof ConfigObject object)) {
                continue;
            }
            String path = "resources[" + i + "]";
            Optional<ConfigNode.Member> site = object.member("site");
            Optional<ConfigNode.Member> id = object.member("id");
            if (site.isEmpty()) {
                problems.error(object.at(), path, "missing required field \"site\"");
            } else if (!(site.get().value() instanceof ConfigString(Position at, String value))) {
                problems.error(site.get().value().at(), path + ".site",
                        "expected a string, found " + ConfigNode.describe(site.get().value()));
            } else if (!sites.containsKey(value)) {
                problems.error(at, path + ".site", "unknown site \"" + value + "\"");
            } else if (id.isPresent() && id.get().value() instanceof ConfigString(Position idAt, String idValue)) {
                siteOf.putIfAbsent(idValue, value);
            }
            tunnelOverlap(object, path);
        }
        List<Wire.Resource> out = new ArrayList<>();
        for (ResourceSpec spec : read.resources()) {
            String site = siteOf.get(spec.id().value());
            if (site != null) {
                out.add(wire(spec, site));
            }
        }
        return out;
    }

    List<PortalPolicy.Policy> policies(List<ConfigNode> nodes, Set<String> resourceIds) {
        List<PortalPolicy.Policy> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Optional<Fields> f = Fields.of(nodes.get(i), "policies[" + i + "]", problems,
                    Set.of("client", "resource", "expiresAt", "description"));
            if (f.isEmpty()) {
                continue;
            }
            Fields fields = f.get();
            fields.string("description");
            Optional<String> client = fields.requiredString("client").filter(v -> known(fields, "client", v,
                    clientNames, "client"));
            Optional<String> resource = fields.requiredString("resource").filter(v -> {
                if (!resourceIds.contains(v)) {
                    problems.error(fields.positionOf("resource"), fields.pathOf("resource"), "unknown resource \"" + v + "\"");
                    return false;
                }
                return true;
            });
            Long expiry = null;
            boolean expiryValid = true;
            if (fields.has("expiresAt")) {
                Optional<String> text = fields.string("expiresAt");
                expiryValid = false;
                if (text.isPresent()) {
                    try {
                        expiry = Instant.parse(text.get()).getEpochSecond();
                        expiryValid = true;
                    } catch (DateTimeException e) {
                        problems.error(fields.positionOf("expiresAt"), fields.pathOf("expiresAt"), "\"" + text.get()
                                + "\" is not an ISO-8601 instant like 2026-12-31T23:59:59Z");
                    }
                }
            }
            if (client.isPresent() && resource.isPresent() && expiryValid) {
                out.add(new PortalPolicy.Policy(client.get(), resource.get(), expiry));
            }
        }
        return out;
    }

    // ---- helpers

    private boolean unique(Fields f, String field, String value, Pattern pattern, String what, Map<String, Position> seen) {
        Position at = f.positionOf(field);
        if (!pattern.matcher(value).matches()) {
            problems.error(at, f.pathOf(field), "\"" + value + "\" is not a valid " + what + " (letters, digits, '.', '_',"
                    + " '@' or '-', starting with a letter or digit)");
            return false;
        }
        Position first = seen.putIfAbsent(value, at);
        if (first != null) {
            problems.error(at, f.pathOf(field), "duplicate " + what + " \"" + value + "\" (first at line " + first.line() + ")");
            return false;
        }
        return true;
    }

    private boolean known(Fields f, String field, String value, Map<String, Position> declared, String what) {
        if (!declared.containsKey(value)) {
            problems.error(f.positionOf(field), f.pathOf(field), "unknown " + what + " \"" + value + "\"");
            return false;
        }
        return true;
    }

    private Optional<String> token(Fields f, Map<String, Position> seen) {
        return f.requiredString("tokenSha256").flatMap(v -> {
            Position at = f.positionOf("tokenSha256");
            if (!SHA256_HEX.matcher(v).matches()) {
                problems.error(at, f.pathOf("tokenSha256"), "expected 64 hex characters (the SHA-256 of the token, "
                        + "as `zonegate token` prints it), got " + v.length() + " characters");
                return Optional.empty();
            }
            String lower = v.toLowerCase(Locale.ROOT);
            Position first = seen.putIfAbsent(lower, at);
            if (first != null) {
                problems.error(at, f.pathOf("tokenSha256"), "token hash already used at line " + first.line());
                return Optional.empty();
            }
            return Optional.of(lower);
        });
    }

    private Optional<String> address(Fields f, String field, Class<? extends InetAddress> family, Cidr range,
            Map<InetAddress, Position> seen) {
        return f.requiredString(field).flatMap(text -> {
            Position at = f.positionOf(field);
            InetAddress address;
            try {
                address = AddressText.host(text);
            } catch (IllegalArgumentException e) {
                problems.error(at, f.pathOf(field), e.getMessage());
                return Optional.empty();
            }
            if (!family.isInstance(address)) {
                problems.error(at, f.pathOf(field), "expected an " + (family == Inet4Address.class ? "IPv4" : "IPv6")
                        + " address, got \"" + text + "\"");
                return Optional.empty();
            }
            if (!AddressText.overlap(AddressText.range(text), range)) {
                problems.error(at, f.pathOf(field), text + " is outside the tunnel range " + range);
                return Optional.empty();
            }
            Position first = seen.putIfAbsent(address, at);
            if (first != null) {
                problems.error(at, f.pathOf(field), "address " + text + " already used by the client at line " + first.line());
                return Optional.empty();
            }
            return Optional.of(address.getHostAddress());
        });
    }

    private void tunnelOverlap(ConfigObject object, String path) {
        Optional<ConfigNode.Member> type = object.member("type");
        Optional<ConfigNode.Member> address = object.member("address");
        if (type.isEmpty() || !(type.get().value() instanceof ConfigString(Position p, String t)) || !t.equals("cidr")
                || address.isEmpty() || !(address.get().value() instanceof ConfigString(Position at, String text))) {
            return;
        }
        try {
            Cidr cidr = AddressText.range(text);
            for (Cidr tunnel : List.of(TUNNEL_V4, TUNNEL_V6)) {
                if (AddressText.overlap(cidr, tunnel)) {
                    problems.error(at, path + ".address", cidr + " overlaps the tunnel range " + tunnel);
                }
            }
        } catch (IllegalArgumentException reportedByResourcesSection) {
            // ResourcesSection reports the malformed range.
        }
    }

    private static Wire.Resource wire(ResourceSpec spec, String site) {
        List<Wire.Filter> filters = new ArrayList<>();
        for (Filter filter : spec.filters()) {
            filters.add(switch (filter) {
                case Filter.Tcp tcp -> new Wire.Filter("tcp", tcp.fromPort(), tcp.toPort());
                case Filter.Udp udp -> new Wire.Filter("udp", udp.fromPort(), udp.toPort());
                case Filter.Icmp icmp -> new Wire.Filter("icmp", 0, 0);
            });
        }
        String id = spec.id().value();
        return switch (spec.resource()) {
            case Resource.CidrRange cidr -> new Wire.Resource("cidr", id, spec.name(), cidr.cidr().toString(), site, null, filters);
            case Resource.Dns dns -> new Wire.Resource("dns", id, spec.name(), dns.pattern().text(), site, null, filters);
            case Resource.Internet internet -> new Wire.Resource("internet", id, spec.name(), null, site, null, filters);
        };
    }
}
