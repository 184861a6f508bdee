package zonegate.app.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import zonegate.wireguard.PrivateKey;

/** {@code zonegate pubkey}: reads a private key on stdin, prints its public key like {@code wg pubkey}. */
@Command(name = "pubkey", mixinStandardHelpOptions = true,
        description = "Read a private key (base64) on standard input and print its public key, like 'wg pubkey'.")
final class PubkeyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line = in.readLine();
        if (line == null) {
            spec.commandLine().getErr().println("pubkey: no private key on standard input");
            return ZonegateCommand.EXIT_USAGE;
        }
        try (PrivateKey key = PrivateKey.parse(line)) {
            spec.commandLine().getOut().println(key.publicKey().toBase64());
            spec.commandLine().getOut().flush();
            return ZonegateCommand.EXIT_OK;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("pubkey: " + e.getMessage());
            return ZonegateCommand.EXIT_USAGE;
        }
    }
}
