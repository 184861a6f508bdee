package zonegate.app.internal.portal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tinylog.Logger;
import zonegate.controlplane.Wire;
import zonegate.filter.Cidr;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.ice.Candidate;
import zonegate.ice.CandidateParseResult;
import zonegate.node.TurnServer;
import zonegate.tunnel.IpStack;

/**
 * The portal's wire values ({@link Wire}) as the state machines' types, and back. Whatever the portal sends is
 * checked here: a value that does not parse is reported as {@link Mapped.Invalid} with the reason, never as an
 * exception, and the caller skips that item and keeps the rest of the message.
 */
public final class WireMapping {
    private WireMapping() {
    }

    /** A mapping's outcome. */
    public sealed interface Mapped<T> {
        /** The value. */
        record Valid<T>(T value) implements Mapped<T> {
        }

        /** Why the wire value was refused. */
        record Invalid<T>(String reason) implements Mapped<T> {
        }
    }

    /** A resource with what the wire carries besides its address. */
    public record MappedResource(Resource resource, String name, String siteId, List<Filter> filters, IpStack ipStack) {
        public MappedResource {
            Objects.requireNonNull(resource, "resource");
            filters = List.copyOf(filters);
        }
    }

    /** A resource (CIDR, DNS pattern or Internet) with its filters. */
    public static Mapped<MappedResource> resource(Wire.Resource wire) {
        ResourceId id;
        try {
            id = ResourceId.of(wire.id());
        } catch (IllegalArgumentException e) {
            return new Mapped.Invalid<>("resource id \"" + wire.id() + "\": " + e.getMessage());
        }
        List<Filter> filters = new ArrayList<>(wire.filters().size());
        for (Wire.Filter f : wire.filters()) {
            switch (filter(f)) {
                case Mapped.Valid<Filter>(Filter valid) -> filters.add(valid);
                case Mapped.Invalid<Filter>(String reason) -> {
                    return new Mapped.Invalid<>("resource " + id + ": " + reason);
                }
            }
        }
        IpStack stack = switch (wire.ipStack() == null ? "dual" : wire.ipStack()) {
            case "dual" -> IpStack.DUAL;
            case "ipv4_only" -> IpStack.IPV4_ONLY;
            case "ipv6_only" -> IpStack.IPV6_ONLY;
            default -> null;
        };
        if (stack == null) {
            return new Mapped.Invalid<>("resource " + id + ": unknown ip_stack \"" + wire.ipStack() + "\"");
        }
        Resource resource;
        try {
            resource = switch (wire.type()) {
                case "cidr" -> new Resource.CidrRange(id, Cidr.parse(required(wire.address(), "address")));
                case "dns" -> new Resource.Dns(id, DnsPattern.of(required(wire.address(), "address")));
                case "internet" -> new Resource.Internet(id);
                default -> throw new IllegalArgumentException("unknown type \"" + wire.type() + "\"");
            };
        } catch (IllegalArgumentException e) {
            return new Mapped.Invalid<>("resource " + id + ": " + e.getMessage());
        }
        return new Mapped.Valid<>(new MappedResource(resource, wire.name(), wire.siteId(), filters, stack));
    }

    /** One filter: {@code tcp}/{@code udp} with a port range, or {@code icmp}. */
    public static Mapped<Filter> filter(Wire.Filter wire) {
        int from = wire.portRangeStart();
        int to = wire.portRangeEnd();
        boolean portsValid = from >= 0 && to <= 65_535 && from <= to;
        return switch (wire.protocol()) {
            case "tcp" -> portsValid ? new Mapped.Valid<>(new Filter.Tcp(from, to)) : badPorts(wire);
            case "udp" -> portsValid ? new Mapped.Valid<>(new Filter.Udp(from, to)) : badPorts(wire);
            case "icmp" -> new Mapped.Valid<>(new Filter.Icmp());
            default -> new Mapped.Invalid<>("unknown filter protocol \"" + wire.protocol() + "\"");
        };
    }

    /** The wire form of a resource, for the portal (the inverse of {@link #resource}). */
    public static Wire.Resource toWire(Resource resource, String name, String siteId, List<Filter> filters) {
        List<Wire.Filter> wireFilters = filters.stream().map(WireMapping::toWire).toList();
        return switch (resource) {
            case Resource.CidrRange(ResourceId id, Cidr cidr) ->
                    new Wire.Resource("cidr", id.value(), name, cidr.toString(), siteId, null, wireFilters);
            case Resource.Dns(ResourceId id, DnsPattern pattern) ->
                    new Wire.Resource("dns", id.value(), name, pattern.toString(), siteId, null, wireFilters);
            case Resource.Internet(ResourceId id) ->
                    new Wire.Resource("internet", id.value(), name, null, siteId, null, wireFilters);
        };
    }

    /** The wire form of a filter. */
    public static Wire.Filter toWire(Filter filter) {
        return switch (filter) {
            case Filter.Tcp(int from, int to) -> new Wire.Filter("tcp", from, to);
            case Filter.Udp(int from, int to) -> new Wire.Filter("udp", from, to);
            case Filter.Icmp() -> new Wire.Filter("icmp", 0, 0);
        };
    }

    /** A relay with the credentials the portal minted for us. */
    public static Mapped<TurnServer> relay(Wire.Relay wire) {
        return switch (socketAddress(wire.address())) {
            case Mapped.Valid<InetSocketAddress>(InetSocketAddress address) ->
                    new Mapped.Valid<>(new TurnServer(address, wire.username(), wire.password()));
            case Mapped.Invalid<InetSocketAddress>(String reason) ->
                    new Mapped.Invalid<>("relay " + wire.id() + ": " + reason);
        };
    }

    /** {@code ip:port} or {@code [ip]:port}, IP literals only (never resolved). */
    public static Mapped<InetSocketAddress> socketAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return new Mapped.Invalid<>("\"" + text + "\" is not ip:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return new Mapped.Invalid<>("\"" + text + "\": an IPv6 address needs brackets ([ip]:port)");
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 1 || port > 65_535) {
                return new Mapped.Invalid<>("\"" + text + "\": port out of range");
            }
            return new Mapped.Valid<>(new InetSocketAddress(InetAddress.ofLiteral(host), port));
        } catch (IllegalArgumentException e) {
            return new Mapped.Invalid<>("\"" + text + "\" is not ip:port");
        }
    }

    /** The {@code ip:port} / {@code [ip]:port} text of an address (the inverse of {@link #socketAddress}). */
    public static String socketAddressText(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        int scope = host.indexOf('%');
        host = scope < 0 ? host : host.substring(0, scope);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The interface's tunnel addresses. */
    public static Mapped<TunnelAddresses> tunnelAddresses(Wire.Interface wire) {
        try {
            return new Mapped.Valid<>(TunnelAddresses.of(wire.ipv4(), wire.ipv6()));
        } catch (IllegalArgumentException e) {
            return new Mapped.Invalid<>("interface addresses " + wire.ipv4() + ", " + wire.ipv6() + ": " + e.getMessage());
        }
    }

    /** The candidates that parse; the others are skipped (DEBUG: a peer's bad candidate costs nothing else). */
    public static List<Candidate> candidates(List<String> lines) {
        List<Candidate> parsed = new ArrayList<>(lines.size());
        for (String line : lines) {
            switch (Candidate.parse(line)) {
                case CandidateParseResult.Parsed(Candidate c) -> parsed.add(c);
                case CandidateParseResult.Rejected r -> Logger.debug("skipped a candidate from the portal ({}: {}): {}",
                        r.reason(), r.detail(), line);
            }
        }
        return parsed;
    }

    /** The SDP attribute strings of candidates. */
    public static List<String> candidateLines(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::toSdpAttribute).toList();
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("no " + field);
        }
        return value;
    }

    private static Mapped<Filter> badPorts(Wire.Filter wire) {
        return new Mapped.Invalid<>(wire.protocol() + " port range " + wire.portRangeStart() + "-" + wire.portRangeEnd()
                + " is not within 0-65535");
    }
}
