package zonegate.app.internal.controlplane;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import zonegate.app.internal.controlplane.ConfigNode.Position;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.InterfaceAddress;
import zonegate.app.spi.PublicEndpoint;
import zonegate.filter.Cidr;
import zonegate.filter.Filter;
import zonegate.wireguard.PrivateKey;

/** Reads the {@code "gateway"} object. */
final class GatewaySection {
    static final String DEFAULT_TUNNEL_IPV4 = "100.64.0.1/11";
    static final String DEFAULT_TUNNEL_IPV6 = "fd00:2021:1111::1/107";
    static final String DEFAULT_NAT64_PREFIX = "64:ff9b::/96";
    /** RFC 6052 section 2.2: the only prefix lengths an IPv4-embedded IPv6 address may use. */
    private static final Set<Integer> NAT64_PREFIX_LENGTHS = Set.of(32, 40, 48, 56, 64, 96);

    private static final Set<String> FIELDS = Set.of("privateKey", "privateKeyFile", "listenPort", "tunnelIpv4",
            "tunnelIpv6", "mtu", "upstreamDns", "nat64Prefix", "publicEndpoint", "allowToGateway");

    private GatewaySection() {}

    /** The settings, or empty if any of them is invalid (the problems are reported). */
    static Optional<GatewaySettings> read(ConfigNode node, LoadContext context, Problems problems) {
        Optional<Fields> parsed = Fields.of(node, "gateway", problems, FIELDS);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = parsed.get();
        Optional<PrivateKey> privateKey = KeyMaterial.read(fields, "privateKey", "privateKeyFile", true,
                context.baseDirectory(), PrivateKey::parse);
        Optional<Long> listenPort = fields.has("listenPort") ? fields.integer("listenPort", 1, 65535)
                : Optional.of((long) GatewaySettings.DEFAULT_LISTEN_PORT);
        Optional<InterfaceAddress> ipv4 = parsed(fields, "tunnelIpv4", DEFAULT_TUNNEL_IPV4,
                text -> AddressText.interfaceAddress(text, 4));
        Optional<InterfaceAddress> ipv6 = parsed(fields, "tunnelIpv6", DEFAULT_TUNNEL_IPV6,
                text -> AddressText.interfaceAddress(text, 6));
        Optional<Long> mtu = fields.has("mtu") ? fields.integer("mtu", 1280, 65535)
                : Optional.of((long) GatewaySettings.DEFAULT_MTU_BYTES);
        Optional<List<InetAddress>> upstreamDns = upstreamDns(fields, context);
        Optional<Cidr> nat64 = parsed(fields, "nat64Prefix", DEFAULT_NAT64_PREFIX, GatewaySection::nat64Prefix);
        Optional<Optional<PublicEndpoint>> endpoint = fields.has("publicEndpoint")
                ? fields.string("publicEndpoint").flatMap(text -> convert(fields, "publicEndpoint", text,
                        AddressText::endpoint)).map(Optional::of)
                : Optional.of(Optional.empty());
        Optional<List<Filter>> allowToGateway = fields.has("allowToGateway")
                ? fields.array("allowToGateway").flatMap(list -> FiltersSection.read(list,
                        fields.pathOf("allowToGateway"), fields.problems()))
                : Optional.of(List.of());
        if (privateKey.isEmpty() || listenPort.isEmpty() || ipv4.isEmpty() || ipv6.isEmpty() || mtu.isEmpty()
                || upstreamDns.isEmpty() || nat64.isEmpty() || endpoint.isEmpty() || allowToGateway.isEmpty()) {
            privateKey.ifPresent(PrivateKey::destroy);
            return Optional.empty();
        }
        return Optional.of(new GatewaySettings(privateKey.get(), listenPort.get().intValue(), ipv4.get(), ipv6.get(),
                mtu.get().intValue(), upstreamDns.get(), nat64.get(), endpoint.get(), allowToGateway.get()));
    }

    private static <T> Optional<T> parsed(Fields fields, String name, String defaultText, Function<String, T> parse) {
        if (!fields.has(name)) {
            return Optional.of(parse.apply(defaultText));
        }
        return fields.string(name).flatMap(text -> convert(fields, name, text, parse));
    }

    private static <T> Optional<T> convert(Fields fields, String name, String text, Function<String, T> parse) {
        try {
            return Optional.of(parse.apply(text));
        } catch (IllegalArgumentException e) {
            fields.problems().error(fields.positionOf(name), fields.pathOf(name), e.getMessage());
            return Optional.empty();
        }
    }

    private static Cidr nat64Prefix(String text) {
        Cidr prefix = AddressText.range(text);
        if (prefix.version() != 6 || !NAT64_PREFIX_LENGTHS.contains(prefix.prefixLengthBits())) {
            throw new IllegalArgumentException("a NAT64 prefix is an IPv6 /32, /40, /48, /56, /64 or /96 (RFC 6052), not "
                    + text);
        }
        return prefix;
    }

    private static Optional<List<InetAddress>> upstreamDns(Fields fields, LoadContext context) {
        if (!fields.has("upstreamDns")) {
            List<InetAddress> system = context.systemResolvers().get();
            if (system.isEmpty()) {
                fields.problems().error(fields.at(), fields.path(),
                        "\"upstreamDns\" is not set and /etc/resolv.conf lists no nameserver; set it");
                return Optional.empty();
            }
            return Optional.of(system);
        }
        Optional<List<ConfigNode>> elements = fields.array("upstreamDns");
        if (elements.isEmpty()) {
            return Optional.empty();
        }
        if (elements.get().isEmpty()) {
            fields.problems().error(fields.positionOf("upstreamDns"), fields.pathOf("upstreamDns"),
                    "must list at least one resolver (or be left out to use /etc/resolv.conf)");
            return Optional.empty();
        }
        List<InetAddress> resolvers = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < elements.get().size(); i++) {
            ConfigNode element = elements.get().get(i);
            String path = fields.pathOf("upstreamDns") + "[" + i + "]";
            Optional<InetAddress> address = fields.asString(element, path).flatMap(text -> host(element.at(), path,
                    text, fields.problems()));
            address.ifPresent(resolvers::add);
            valid &= address.isPresent();
        }
        return valid ? Optional.of(resolvers) : Optional.empty();
    }

    private static Optional<InetAddress> host(Position at, String path, String text, Problems problems) {
        try {
            return Optional.of(AddressText.host(text));
        } catch (IllegalArgumentException e) {
            problems.error(at, path, e.getMessage());
            return Optional.empty();
        }
    }
}
