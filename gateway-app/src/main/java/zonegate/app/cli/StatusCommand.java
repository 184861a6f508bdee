package zonegate.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zonegate.app.internal.admin.StatusClient;
import zonegate.app.internal.status.StatusJson;
import zonegate.app.internal.status.StatusText;

/**
 * {@code zonegate status [--socket PATH] [--json]}: asks a running gateway or relay over its admin socket and
 * prints what {@code wg show} would, plus zonegate's view (authorised resources and expiries, flows, relays,
 * recent drops). Nothing secret is in it.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show a running gateway's (or relay's) status: interface, clients (endpoint, latest handshake,",
                "transfer, resources and expiries, flows), relays and allocations, recent drops. Reads its admin",
                "socket: run as root or as the gateway's user. No key, password or token is printed."})
final class StatusCommand implements Callable<Integer> {
    /** How long the answer may take. */
    static final long TIMEOUT_MS = 5_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = AdminSocketOption.DEFAULT_DIRECTORY + "/gateway.sock",
            description = "The admin socket (default: ${DEFAULT-VALUE}; a relay's: "
                    + AdminSocketOption.DEFAULT_DIRECTORY + "/relay.sock).")
    Path socket;

    @Option(names = "--json", description = "Print the JSON answer as it is.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String answer;
        try {
            answer = StatusClient.fetch(socket, TIMEOUT_MS);
        } catch (StatusClient.Failure e) {
            err.println("status: " + e.getMessage());
            err.flush();
            return ZonegateCommand.EXIT_FAILURE;
        }
        String error;
        try {
            error = StatusJson.errorOf(answer);
        } catch (RuntimeException e) {
            err.println("status: " + socket + " answered something that is not JSON");
            err.flush();
            return ZonegateCommand.EXIT_FAILURE;
        }
        if (error != null) {
            err.println("status: " + socket + ": " + error);
            err.flush();
            return ZonegateCommand.EXIT_FAILURE;
        }
        out.print(json ? answer : StatusText.render(answer));
        out.flush();
        return ZonegateCommand.EXIT_OK;
    }
}
