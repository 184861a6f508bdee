package zonegate.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zonegate.app.internal.controlplane.KeyFile;
import zonegate.app.internal.controlplane.LoadResult;
import zonegate.app.internal.controlplane.PolicyFile;
import zonegate.app.internal.controlplane.WgQuickConfig;
import zonegate.app.spi.ClientSpec;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.PolicyRejection;
import zonegate.filter.ClientId;
import zonegate.wireguard.PrivateKey;

/**
 * {@code zonegate client-config --config FILE --client NAME}: prints the wg-quick file a stock
 * WireGuard client uses to reach this gateway.
 */
@Command(name = "client-config", mixinStandardHelpOptions = true,
        description = {"Print the wg-quick configuration of one client of a gateway configuration file.",
                "The gateway knows only the client's public key: pass --private-key-file to fill in the "
                        + "client's private key, or replace the placeholder by hand."})
final class ClientConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The gateway configuration file.")
    Path config;

    @Option(names = "--client", required = true, paramLabel = "NAME", description = "The client's name.")
    String client;

    @Option(names = "--private-key-file", paramLabel = "FILE",
            description = "The client's private key (as 'wg genkey' writes it); it must match the client's public key.")
    Path privateKeyFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return switch (PolicyFile.load(config, config.toString(), PolicyFile.systemContext(config))) {
                case LoadResult.Loaded(GatewayPolicy policy, var notes) -> print(policy, out, err);
                case LoadResult.Rejected(PolicyRejection rejection) -> {
                    rejection.problems().forEach(problem -> err.println(problem));
                    yield ZonegateCommand.EXIT_USAGE;
                }
            };
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int print(GatewayPolicy policy, PrintWriter out, PrintWriter err) {
        try {
            Optional<ClientSpec> spec = client.isEmpty() ? Optional.empty() : policy.client(ClientId.of(client));
            if (spec.isEmpty()) {
                err.println("client-config: no client \"" + client + "\" in " + config + " (clients: "
                        + policy.clients().stream().map(c -> c.id().value()).collect(Collectors.joining(", ")) + ")");
                return ZonegateCommand.EXIT_USAGE;
            }
            if (policy.gateway().publicEndpoint().isEmpty()) {
                err.println("client-config: " + config + " has no gateway.publicEndpoint (the host:port clients "
                        + "connect to); add it");
                return ZonegateCommand.EXIT_USAGE;
            }
            Optional<PrivateKey> privateKey = Optional.empty();
            if (privateKeyFile != null) {
                privateKey = readPrivateKey(spec.get(), err);
                if (privateKey.isEmpty()) {
                    return ZonegateCommand.EXIT_USAGE;
                }
            }
            out.print(WgQuickConfig.render(policy, spec.get(), privateKey, Instant.now().getEpochSecond()));
            privateKey.ifPresent(PrivateKey::destroy);
            return ZonegateCommand.EXIT_OK;
        } finally {
            policy.destroyKeys();
        }
    }

    /** The key of {@code --private-key-file} if it is the client's, else reports why and returns empty. */
    private Optional<PrivateKey> readPrivateKey(ClientSpec spec, PrintWriter err) {
        PrivateKey key;
        switch (KeyFile.read(privateKeyFile, PrivateKey::parse)) {
            case KeyFile.Read.Key<PrivateKey>(PrivateKey k) -> key = k;
            case KeyFile.Read.Refused<PrivateKey>(String reason) -> {
                err.println("client-config: " + reason);
                return Optional.empty();
            }
        }
        if (!key.publicKey().equals(spec.publicKey())) {
            key.destroy();
            err.println("client-config: the key in " + privateKeyFile + " is not the private key of client \""
                    + client + "\" (its public key differs from the configured one)");
            return Optional.empty();
        }
        return Optional.of(key);
    }
}
