package zonegate.app.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import zonegate.app.internal.controlplane.KeyFile;
import zonegate.app.internal.portal.TokenFile;

/** The options of every command that connects to the portal (a picocli mixin). */
final class PortalOptions {
    @Option(names = "--portal", paramLabel = "URL",
            description = "The portal to connect to: wss://HOST:PORT (ws:// only for a portal on loopback or one "
                    + "started with allowInsecure).")
    URI portal;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "The file holding this machine's token ('zonegate token'); only its owner may read it.")
    Path tokenFile;

    @Option(names = "--portal-ca", paramLabel = "FILE",
            description = "A PEM certificate to trust for the portal besides the system's (a self-signed portal).")
    Path portalCa;

    boolean given() {
        return portal != null;
    }

    Optional<Path> ca() {
        return Optional.ofNullable(portalCa);
    }

    /** Checks the options and reads the token; on a problem, prints it for {@code command} and returns null. */
    String token(String command, PrintWriter err) {
        String scheme = portal.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme) || portal.getHost() == null) {
            err.println(command + ": --portal must be ws://HOST:PORT or wss://HOST:PORT, not " + portal);
            return null;
        }
        if (tokenFile == null) {
            err.println(command + ": --portal needs --token-file");
            return null;
        }
        return switch (TokenFile.read(tokenFile)) {
            case KeyFile.Read.Key<String>(String token) -> token;
            case KeyFile.Read.Refused<String>(String reason) -> {
                err.println(command + ": " + reason);
                yield null;
            }
        };
    }
}
