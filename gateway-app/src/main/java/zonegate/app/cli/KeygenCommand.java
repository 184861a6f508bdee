package zonegate.app.cli;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import zonegate.wireguard.PrivateKey;

/** {@code zonegate keygen}: prints a new private key, exactly as {@code wg genkey} does. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Print a new WireGuard private key (base64), like 'wg genkey'.")
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (PrivateKey key = PrivateKey.generate(new SecureRandom())) {
            Logger.debug("generated a private key; public key {}", key.publicKey());
            PrintWriter out = spec.commandLine().getOut();
            out.println(key.toBase64());
            out.flush();
        }
        return ZonegateCommand.EXIT_OK;
    }
}
