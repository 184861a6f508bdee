package zonegate.app.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import zonegate.app.internal.log.LogFormat;
import zonegate.app.internal.log.LogSetup;

/**
 * The top-level {@code zonegate} command. Its logging options apply to every subcommand.
 *
 * <p>Exit codes: 0 success, 1 the command failed at run time, 2 bad usage or invalid input.
 */
@Command(
        name = "zonegate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Zero-trust access gateway over WireGuard.",
        subcommands = {GatewayRunCommand.class, ClientCommand.class, PortalCommand.class, KeygenCommand.class,
                PubkeyCommand.class, CheckConfigCommand.class, ClientConfigCommand.class, RelayCommand.class,
                TokenCommand.class, StatusCommand.class,
                CommandLine.HelpCommand.class})
public final class ZonegateCommand implements Runnable {
    /** Exit code for success. */
    public static final int EXIT_OK = 0;
    /** Exit code for a failure at run time. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for bad usage or invalid input. */
    public static final int EXIT_USAGE = 2;
    /** The portal refused this machine's token. */
    public static final int EXIT_REFUSED = 3;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text (readable, default) or json (one JSON object per line).")
    LogFormat logFormat = LogFormat.TEXT;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "trace, debug, info (default), warn or error.")
    String logLevel = "info";

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Also write logs to FILE (same format); its name is yours to choose.")
    Path logFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Parses {@code args}, runs the chosen subcommand and returns the process exit code. */
    public static int run(String... args) {
        ZonegateCommand root = new ZonegateCommand();
        CommandLine cli = new CommandLine(root);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionStrategy(parsed -> {
            LogSetup.configure(root.logFormat, root.logLevel, root.logFile);
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setExitCodeExceptionMapper(e -> EXIT_FAILURE);
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
