package zonegate.app.cli;

import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import zonegate.controlplane.Tokens;

/**
 * {@code zonegate token}: prints a new portal token on stdout (for the gateway's, client's or relay's
 * token file) and its SHA-256 on stderr (for the portal's configuration, which never holds the token).
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Print a new token for connecting to the portal on stdout, and its SHA-256 (hex) on stderr.",
            "Put the token in the connecting side's token file and the SHA-256 in the portal's configuration."})
final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String token = Tokens.generate(new SecureRandom());
        spec.commandLine().getOut().println(token);
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println(Tokens.sha256Hex(token));
        spec.commandLine().getErr().flush();
        return ZonegateCommand.EXIT_OK;
    }
}
