package zonegate.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import zonegate.app.internal.controlplane.KeyFile;
import zonegate.wireguard.PrivateKey;

/** {@code zonegate pubkey}: reads a private key on stdin, prints its public key like {@code wg pubkey}. */
@Command(name = "pubkey", mixinStandardHelpOptions = true,
        description = "Read a private key (base64) on standard input and print its public key, like 'wg pubkey'.")
final class PubkeyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        byte[] line = firstLine(System.in);
        try {
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
        } finally {
            if (line != null) {
                Arrays.fill(line, (byte) 0);
            }
        }
    }

    /** The bytes before the first newline (at most a key file's size), or null at immediate EOF; never a String. */
    private static byte[] firstLine(InputStream in) throws IOException {
        byte[] buffer = new byte[KeyFile.MAX_KEY_FILE_BYTES];
        int n = 0;
        int b = in.read();
        if (b < 0) {
            return null;
        }
        for (; n < buffer.length && b >= 0 && b != '\n'; b = in.read()) {
            buffer[n++] = (byte) b;
        }
        byte[] line = Arrays.copyOf(buffer, n);
        Arrays.fill(buffer, (byte) 0);
        return line;
    }
}
