package zonegate.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;
import zonegate.wireguard.AeadChoice;

/** {@code --aead auto|jce|native}, shared by the commands that run WireGuard (a picocli mixin). */
final class AeadOption {
    @Option(names = "--aead", paramLabel = "auto|jce|native", defaultValue = "auto",
            description = "WireGuard's ChaCha20-Poly1305: native (the system's libcrypto through FFM), jce (the JDK's), "
                    + "or auto (default: native if libcrypto loads and passes its self-test, else jce). "
                    + "native when it is unavailable: exit 2.")
    String aead;

    /**
     * The choice, resolved now so the log says at once which AEAD runs; null (after a message on
     * {@code err}) when the value is not one of the three or when native is demanded and unavailable.
     */
    AeadChoice choice(String command, PrintWriter err) {
        AeadChoice choice = switch (aead) {
            case "auto" -> AeadChoice.AUTO;
            case "jce" -> AeadChoice.JCE;
            case "native" -> AeadChoice.NATIVE;
            default -> null;
        };
        if (choice == null) {
            err.println(command + ": --aead must be auto, jce or native, not " + aead);
            err.flush();
            return null;
        }
        try {
            choice.resolve();
            return choice;
        } catch (IllegalStateException e) {
            err.println(command + ": --aead native: " + e.getMessage()
                    + " (install libssl3, or run with --aead jce or auto)");
            err.flush();
            return null;
        }
    }
}
