package zonegate.app.internal.controlplane;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import zonegate.app.internal.controlplane.ConfigNode.Position;
import zonegate.app.spi.AccessPolicy;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.PolicyProblem;
import zonegate.app.spi.PolicyRejection;
import zonegate.wireguard.PresharedKey;

/**
 * Reads and validates the static control plane's JSON file into a {@link GatewayPolicy}, collecting
 * every problem with its line and column. Reads the file (and key files it names) but logs nothing
 * and keeps no state: callers decide what to report.
 *
 * <pre>{@code
 * switch (PolicyFile.load(Path.of("gateway.json"), "gateway.json", PolicyFile.systemContext(dir))) {
 *     case LoadResult.Loaded(GatewayPolicy policy, List<PolicyProblem> notes) -> use(policy);
 *     case LoadResult.Rejected(PolicyRejection rejection) -> System.err.println(rejection.describe());
 * }
 * }</pre>
 */
public final class PolicyFile {
    /** A policy file is a few KiB; refuse anything absurd rather than read it into memory. */
    static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

    private static final Set<String> FIELDS = Set.of("description", "gateway", "clients", "resources", "policies");

    private PolicyFile() {}

    /** The context of a real gateway: the system clock and /etc/resolv.conf, keys relative to {@code file}. */
    public static LoadContext systemContext(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        return new LoadContext(directory, InstantSource.system(), SystemResolvers::fromResolvConf);
    }

    /** Reads {@code file}; {@code source} is how messages name it (usually the path as the operator gave it). */
    public static LoadResult load(Path file, String source, LoadContext context) {
        return switch (readText(file)) {
            case TextRead.Text(String text) -> parse(text, source, context);
            case TextRead.Failure(String reason) -> unreadable(source, reason);
        };
    }

    /** The rejection of a file that could not be read, for {@code reason}. */
    static LoadResult unreadable(String source, String reason) {
        return new LoadResult.Rejected(new PolicyRejection(source, List.of(new PolicyProblem(source, 0, 0, "", reason))));
    }

    /** Validates {@code text} as the content of a file named {@code source}. */
    public static LoadResult parse(String text, String source, LoadContext context) {
        Problems problems = new Problems(source);
        switch (ConfigTreeReader.read(text)) {
            case ConfigTreeReader.Outcome.SyntaxError(Position at, String reason) -> problems.error(at, "", reason);
            case ConfigTreeReader.Outcome.Parsed(ConfigNode root) -> {
                Optional<GatewayPolicy> policy = policy(root, context, problems);
                if (policy.isPresent()) {
                    return new LoadResult.Loaded(policy.get(), problems.notes());
                }
            }
        }
        return new LoadResult.Rejected(new PolicyRejection(source, problems.errors()));
    }

    /** The file's text, as read for {@link #load}; lets a watcher skip reloads of unchanged content. */
    sealed interface TextRead {
        /** The file's content. */
        record Text(String text) implements TextRead {
        }

        /** Why the file could not be read. */
        record Failure(String reason) implements TextRead {
        }
    }

    static TextRead readText(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                return new TextRead.Failure("the file is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return new TextRead.Text(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (NoSuchFileException e) {
            return new TextRead.Failure("no such file");
        } catch (AccessDeniedException e) {
            return new TextRead.Failure("permission denied");
        } catch (CharacterCodingException e) {
            return new TextRead.Failure("the file is not UTF-8 text");
        } catch (IOException e) {
            return new TextRead.Failure("cannot read the file: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Optional<GatewayPolicy> policy(ConfigNode root, LoadContext context, Problems problems) {
        Optional<Fields> parsed = Fields.of(root, "", problems, FIELDS);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = parsed.get();
        fields.string("description");
        Optional<GatewaySettings> gateway = fields.required("gateway")
                .flatMap(node -> GatewaySection.read(node, context, problems));
        ClientsSection.Read clients = ClientsSection.read(list(fields, "clients"), context, problems, gateway);
        ResourcesSection.Read resources = ResourcesSection.read(list(fields, "resources"), problems, gateway);
        List<AccessPolicy> policies = PoliciesSection.read(list(fields, "policies"), clients, resources, context,
                problems);
        if (gateway.isEmpty() || problems.hasErrors()) {
            gateway.ifPresent(settings -> settings.privateKey().destroy());
            clients.clients().forEach(client -> client.presharedKey().ifPresent(PresharedKey::destroy));
            return Optional.empty();
        }
        return Optional.of(new GatewayPolicy(gateway.get(), clients.clients(), resources.resources(), policies));
    }

    private static List<ConfigNode> list(Fields fields, String name) {
        return fields.array(name).orElse(List.of());
    }
}
