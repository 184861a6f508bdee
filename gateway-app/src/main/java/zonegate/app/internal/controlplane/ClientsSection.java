package zonegate.app.internal.controlplane;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import zonegate.app.internal.controlplane.ConfigNode.Position;
import zonegate.app.spi.ClientSpec;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.InterfaceAddress;
import zonegate.filter.ClientId;
import zonegate.wireguard.PresharedKey;
import zonegate.wireguard.PublicKey;

/** Reads the {@code "clients"} array. */
final class ClientsSection {
    /** Names appear in logs ({@code cid}) and on the command line, so they are kept plain. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private static final Set<String> FIELDS = Set.of("name", "description", "publicKey", "ipv4", "ipv6",
            "presharedKey", "presharedKeyFile", "persistentKeepaliveSeconds");

    /**
     * The valid clients, and the names of every client the file declares (valid or not), so that a
     * policy naming a broken client is not also reported as naming an unknown one.
     */
    record Read(List<ClientSpec> clients, Set<String> declaredNames) {
    }

    private final LoadContext context;
    private final Problems problems;
    private final Optional<GatewaySettings> gateway;
    private final Optional<PublicKey> gatewayKey;
    private final Map<String, Position> names = new HashMap<>();
    private final Map<PublicKey, Position> keys = new HashMap<>();
    private final Map<InetAddress, Position> addresses = new HashMap<>();

    private ClientsSection(LoadContext context, Problems problems, Optional<GatewaySettings> gateway) {
        this.context = context;
        this.problems = problems;
        this.gateway = gateway;
        this.gatewayKey = gateway.map(GatewaySettings::publicKey);
    }

    /** Reads {@code elements}; {@code gateway} (if valid) bounds the tunnel addresses. */
    static Read read(List<ConfigNode> elements, LoadContext context, Problems problems,
            Optional<GatewaySettings> gateway) {
        ClientsSection section = new ClientsSection(context, problems, gateway);
        List<ClientSpec> clients = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        for (int i = 0; i < elements.size(); i++) {
            section.client(elements.get(i), "clients[" + i + "]", declared).ifPresent(clients::add);
        }
        return new Read(clients, declared);
    }

    private Optional<ClientSpec> client(ConfigNode node, String path, Set<String> declared) {
        Optional<Fields> parsed = Fields.of(node, path, problems, FIELDS);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = parsed.get();
        fields.string("description");
        Optional<String> rawName = fields.requiredString("name");
        rawName.ifPresent(declared::add);
        Optional<String> name = rawName.filter(text -> validName(fields, text));
        Optional<PublicKey> publicKey = fields.requiredString("publicKey")
                .flatMap(text -> publicKey(fields, text));
        Optional<Inet4Address> ipv4 = address(fields, "ipv4", Inet4Address.class, GatewaySettings::tunnelIpv4);
        Optional<Inet6Address> ipv6 = address(fields, "ipv6", Inet6Address.class, GatewaySettings::tunnelIpv6);
        Optional<PresharedKey> psk = KeyMaterial.read(fields, "presharedKey", "presharedKeyFile", false,
                context.baseDirectory(), PresharedKey::parse);
        boolean pskValid = psk.isPresent() || !(fields.has("presharedKey") || fields.has("presharedKeyFile"));
        Optional<Long> keepalive = fields.has("persistentKeepaliveSeconds")
                ? fields.integer("persistentKeepaliveSeconds", 0, 65535) : Optional.of(0L);
        if (name.isEmpty() || publicKey.isEmpty() || ipv4.isEmpty() || ipv6.isEmpty() || !pskValid
                || keepalive.isEmpty()) {
            psk.ifPresent(PresharedKey::destroy);
            return Optional.empty();
        }
        return Optional.of(new ClientSpec(ClientId.of(name.get()), publicKey.get(), ipv4.get(), ipv6.get(), psk,
                keepalive.get().intValue()));
    }

    private boolean validName(Fields fields, String text) {
        Position at = fields.positionOf("name");
        if (!NAME.matcher(text).matches()) {
            problems.error(at, fields.pathOf("name"), "\"" + text + "\" is not a valid client name (1-64 letters, "
                    + "digits, '.', '_', '@' or '-', starting with a letter or digit)");
            return false;
        }
        Position first = names.putIfAbsent(text, at);
        if (first != null) {
            problems.error(at, fields.pathOf("name"), "duplicate client name \"" + text + "\" (first at line "
                    + first.line() + ")");
            return false;
        }
        return true;
    }

    private Optional<PublicKey> publicKey(Fields fields, String text) {
        Position at = fields.positionOf("publicKey");
        PublicKey key;
        try {
            key = PublicKey.parse(text);
        } catch (IllegalArgumentException e) {
            problems.error(at, fields.pathOf("publicKey"), e.getMessage());
            return Optional.empty();
        }
        if (gatewayKey.isPresent() && gatewayKey.get().equals(key)) {
            problems.error(at, fields.pathOf("publicKey"), "is the gateway's own public key");
            return Optional.empty();
        }
        Position first = keys.putIfAbsent(key, at);
        if (first != null) {
            problems.error(at, fields.pathOf("publicKey"), "public key already used by the client at line "
                    + first.line());
            return Optional.empty();
        }
        return Optional.of(key);
    }

    private <A extends InetAddress> Optional<A> address(Fields fields, String name, Class<A> type,
            Function<GatewaySettings, InterfaceAddress> tunnel) {
        Optional<String> text = fields.requiredString(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Position at = fields.positionOf(name);
        String path = fields.pathOf(name);
        InetAddress address;
        try {
            address = AddressText.host(text.get());
        } catch (IllegalArgumentException e) {
            problems.error(at, path, e.getMessage());
            return Optional.empty();
        }
        if (!type.isInstance(address)) {
            problems.error(at, path, "expected an IPv" + (type == Inet4Address.class ? 4 : 6) + " address, got \""
                    + text.get() + "\"");
            return Optional.empty();
        }
        if (gateway.isPresent()) {
            InterfaceAddress range = tunnel.apply(gateway.get());
            String reason = PolicyRules.clientAddressProblem(range, address);
            if (reason != null) {
                problems.error(at, path, reason);
                return Optional.empty();
            }
        }
        Position first = addresses.putIfAbsent(address, at);
        if (first != null) {
            problems.error(at, path, "address " + InterfaceAddress.text(address) + " already used by the client at line "
                    + first.line());
            return Optional.empty();
        }
        return Optional.of(type.cast(address));
    }
}
