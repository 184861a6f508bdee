package zonegate.app.internal.controlplane;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import zonegate.app.internal.controlplane.ConfigNode.ConfigBoolean;
import zonegate.app.internal.controlplane.ConfigNode.Position;
import zonegate.app.spi.PolicyProblem;
import zonegate.app.spi.PolicyRejection;
import zonegate.portal.PortalPolicy;
import zonegate.portal.PortalServerConfig;

/**
 * Reads and validates the portal's JSON file ({@code zonegate portal --config portal.json}): the
 * {@code portal} section (listen address, TLS files, allowInsecure), then sites, gateways, relays,
 * clients, resources and policies, with every problem reported as FILE:LINE:COL. Unknown fields are
 * refused; references (sites, clients, resources) and uniqueness are checked. Reads the file, logs nothing.
 *
 * <pre>{@code
 * switch (PortalFile.load(Path.of("portal.json"), "portal.json")) {
 *     case PortalLoad.Loaded loaded -> PortalServer.start(loaded.server(), loaded.policy());
 *     case PortalLoad.Rejected rejected -> System.err.println(rejected.rejection().describe());
 * }
 * }</pre>
 */
public final class PortalFile {
    private static final Set<String> FIELDS = Set.of("description", "portal", "sites", "gateways", "relays", "clients",
            "resources", "policies");
    private static final Set<String> PORTAL_FIELDS = Set.of("listen", "tls", "allowInsecure");
    private static final Set<String> TLS_FIELDS = Set.of("certificateFile", "privateKeyFile");

    private PortalFile() {
    }

    /** Reads {@code file}; {@code source} names it in messages. TLS file paths are relative to its directory. */
    public static PortalLoad load(Path file, String source) {
        Path directory = file.toAbsolutePath().getParent();
        return switch (PolicyFile.readText(file)) {
            case PolicyFile.TextRead.Text(String text) -> parse(text, source, directory);
            case PolicyFile.TextRead.Failure(String reason) -> new PortalLoad.Rejected(new PolicyRejection(source,
                    List.of(new PolicyProblem(source, 0, 0, "", reason))));
        };
    }

    /** Validates {@code text} as the content of a file named {@code source} in {@code directory}. */
    public static PortalLoad parse(String text, String source, Path directory) {
        Problems problems = new Problems(source);
        switch (ConfigTreeReader.read(text)) {
            case ConfigTreeReader.Outcome.SyntaxError(Position at, String reason) -> problems.error(at, "", reason);
            case ConfigTreeReader.Outcome.Parsed(ConfigNode root) -> {
                Optional<PortalLoad.Loaded> loaded = content(root, directory, problems);
                if (loaded.isPresent() && !problems.hasErrors()) {
                    return loaded.get();
                }
            }
        }
        return new PortalLoad.Rejected(new PolicyRejection(source, problems.errors()));
    }

    private static Optional<PortalLoad.Loaded> content(ConfigNode root, Path directory, Problems problems) {
        Optional<Fields> parsed = Fields.of(root, "", problems, FIELDS);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = parsed.get();
        fields.string("description");
        Optional<PortalServerConfig> server = fields.required("portal").flatMap(node -> server(node, directory, problems));
        PortalSections sections = new PortalSections(problems);
        List<PortalPolicy.Site> sites = sections.sites(list(fields, "sites"));
        List<PortalPolicy.Gateway> gateways = sections.gateways(list(fields, "gateways"));
        List<PortalPolicy.Relay> relays = sections.relays(list(fields, "relays"));
        List<PortalPolicy.Client> clients = sections.clients(list(fields, "clients"));
        List<ConfigNode> resourceNodes = list(fields, "resources");
        ResourcesSection.Read resources = ResourcesSection.read(resourceNodes, problems, Optional.empty(), true);
        List<zonegate.controlplane.Wire.Resource> wireResources = sections.resources(resourceNodes, resources);
        List<PortalPolicy.Policy> policies = sections.policies(list(fields, "policies"), resources.declaredIds());
        if (server.isEmpty() || problems.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(new PortalLoad.Loaded(server.get(),
                new PortalPolicy(sites, gateways, relays, clients, wireResources, policies), problems.notes()));
    }

    private static Optional<PortalServerConfig> server(ConfigNode node, Path directory, Problems problems) {
        Optional<Fields> parsed = Fields.of(node, "portal", problems, PORTAL_FIELDS);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = parsed.get();
        Optional<InetSocketAddress> listen = fields.requiredString("listen").flatMap(text -> {
            try {
                return Optional.of(listenAddress(text));
            } catch (IllegalArgumentException e) {
                problems.error(fields.positionOf("listen"), fields.pathOf("listen"), e.getMessage());
                return Optional.empty();
            }
        });
        boolean allowInsecure = false;
        Optional<ConfigNode> insecure = fields.node("allowInsecure");
        if (insecure.isPresent()) {
            if (insecure.get() instanceof ConfigBoolean(Position at, boolean value)) {
                allowInsecure = value;
            } else {
                problems.error(insecure.get().at(), fields.pathOf("allowInsecure"),
                        "expected a boolean, found " + ConfigNode.describe(insecure.get()));
            }
        }
        Optional<PortalServerConfig.TlsFiles> tls = Optional.empty();
        if (fields.has("tls")) {
            tls = fields.node("tls").flatMap(t -> Fields.of(t, "portal.tls", problems, TLS_FIELDS)).flatMap(t -> {
                Optional<String> cert = t.requiredString("certificateFile");
                Optional<String> key = t.requiredString("privateKeyFile");
                if (cert.isEmpty() || key.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new PortalServerConfig.TlsFiles(directory.resolve(cert.get()),
                        directory.resolve(key.get())));
            });
            if (tls.isEmpty()) {
                return Optional.empty();
            }
        }
        if (listen.isEmpty()) {
            return Optional.empty();
        }
        InetAddress host = listen.get().getAddress();
        if (tls.isEmpty() && !allowInsecure && !host.isLoopbackAddress()) {
            problems.error(fields.positionOf("listen"), fields.pathOf("listen"), "plain ws:// on the non-loopback "
                    + "address " + host.getHostAddress() + " would send tokens in clear text: add \"tls\" "
                    + "(certificateFile, privateKeyFile) or set \"allowInsecure\": true");
            return Optional.empty();
        }
        return Optional.of(new PortalServerConfig(listen.get(), tls, allowInsecure, PortalServerConfig.DEFAULT_HEARTBEAT));
    }

    /** {@code ip:port} or {@code [ipv6]:port}; no host names (the portal binds, it does not resolve). */
    static InetSocketAddress listenAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected ip:port or [ipv6]:port, got \"" + text + "\"");
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 listen address needs brackets: [" + host + "]:" + port);
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
                || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, not \"" + port + "\"");
        }
        return new InetSocketAddress(AddressText.host(host), Integer.parseInt(port));
    }

    private static List<ConfigNode> list(Fields fields, String name) {
        return fields.array(name).orElse(List.of());
    }
}
