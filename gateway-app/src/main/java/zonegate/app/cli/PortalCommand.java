package zonegate.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zonegate.app.internal.controlplane.PortalRuntime;
import zonegate.app.internal.gateway.TerminationSignals;

/**
 * {@code zonegate portal --config portal.json}: the signalling and policy server that ICE-mode gateways,
 * clients and relays connect to over WebSocket. Reloads the file on change and on SIGHUP.
 */
@Command(name = "portal", mixinStandardHelpOptions = true,
        description = {"Run the portal: the WebSocket server that gateways, clients and relays connect to (ICE mode).",
            "The file names the listen address and TLS files, the sites, gateways, relays, clients (by the SHA-256 of",
            "their tokens), resources and policies. It is reloaded when it changes and on SIGHUP; a bad file keeps",
            "the running policy."})
final class PortalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The portal's JSON file.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        PortalRuntime.Started started;
        try {
            started = PortalRuntime.start(config, config.toString());
        } catch (RuntimeException e) {
            Logger.debug(e, "the portal could not start");
            err.println("portal: could not start: " + e.getMessage());
            err.flush();
            return ZonegateCommand.EXIT_FAILURE;
        }
        return switch (started) {
            case PortalRuntime.Started.Refused refused -> {
                err.println(refused.rejected().rejection().describe());
                err.println("portal: " + config + " refused: " + refused.rejected().rejection().problems().size()
                        + " problem(s)");
                err.flush();
                yield ZonegateCommand.EXIT_USAGE;
            }
            case PortalRuntime.Started.Running running -> {
                CountDownLatch stop = new CountDownLatch(1);
                TerminationSignals.install(stop::countDown);
                try (PortalRuntime runtime = running.runtime()) {
                    stop.await();
                }
                yield ZonegateCommand.EXIT_OK;
            }
        };
    }
}
