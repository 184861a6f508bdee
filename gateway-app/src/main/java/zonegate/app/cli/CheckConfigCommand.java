package zonegate.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import zonegate.app.internal.controlplane.LoadResult;
import zonegate.app.internal.controlplane.PolicyFile;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.PolicyProblem;
import zonegate.app.spi.PolicyRejection;

/**
 * {@code zonegate check-config FILE}: validates a static control-plane file as the gateway would,
 * reading key files and /etc/resolv.conf too, and prints every problem with its line and column.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Check a gateway configuration file (JSON) without starting the gateway.",
                "Prints 'FILE: OK (N clients, M resources, K policies)' and exits 0,",
                "or prints each problem as FILE:LINE:COLUMN: reason on standard error",
                "and exits 2."})
final class CheckConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The configuration file, e.g. /etc/zonegate/gateway.json.")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String source = file.toString();
        try {
            return switch (PolicyFile.load(file, source, PolicyFile.systemContext(file))) {
                case LoadResult.Loaded(GatewayPolicy policy, List<PolicyProblem> notes) -> {
                    notes.forEach(note -> err.println(note));
                    out.println(source + ": OK (" + policy.clients().size() + " clients, " + policy.resources().size()
                            + " resources, " + policy.policies().size() + " policies)");
                    policy.destroyKeys();
                    yield ZonegateCommand.EXIT_OK;
                }
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
}
