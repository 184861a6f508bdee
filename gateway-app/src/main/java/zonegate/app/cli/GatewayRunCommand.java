package zonegate.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zonegate.app.internal.gateway.GatewayRuntime;
import zonegate.app.internal.gateway.PolicyRelay;
import zonegate.app.internal.gateway.TerminationSignals;
import zonegate.shell.io.Capabilities;
import zonegate.app.spi.ControlPlane;
import zonegate.app.spi.ControlPlaneOptions;
import zonegate.app.spi.ControlPlaneProvider;
import zonegate.app.spi.GatewayPolicy;

/**
 * {@code zonegate gateway --config FILE}: runs the gateway until SIGTERM or SIGINT. Stock WireGuard
 * clients connect to it directly; the static control plane file says who may reach what, and is
 * reloaded on SIGHUP and when it changes.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Run the gateway: a TUN device with the gateway's tunnel addresses, WireGuard on the",
                "listen port, and the policy of the configuration file (reloaded on SIGHUP and on change).",
                "Needs CAP_NET_ADMIN. Stops gracefully on SIGTERM or SIGINT and exits 0."})
final class GatewayRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "The gateway's configuration (JSON), e.g. /etc/zonegate/gateway.json.")
    Path config;

    @Option(names = "--interface", paramLabel = "NAME", defaultValue = "zg0",
            description = "Name of the TUN device to create (default: ${DEFAULT-VALUE}).")
    String interfaceName;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
            description = "TUN queues, each with its own reader (default: ${DEFAULT-VALUE}).")
    int queues;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        ControlPlaneProvider provider = ControlPlaneProvider.named("static").orElseThrow();
        PolicyRelay relay = new PolicyRelay();
        try (ControlPlane plane = provider.open(ControlPlaneOptions.ofFile(config))) {
            plane.start(relay);
            GatewayPolicy policy = relay.initialPolicy();
            if (policy == null) {
                relay.initialRejection().problems().forEach(err::println);
                err.println("gateway: not started: " + config + " is invalid");
                err.flush();
                return ZonegateCommand.EXIT_USAGE;
            }
            if (!Capabilities.hasNetAdmin()) {
                err.println("gateway: zonegate gateway needs CAP_NET_ADMIN to create its TUN device: run it as root "
                        + "or grant it with 'setcap cap_net_admin+ep' on the launcher's java binary");
                err.flush();
                return ZonegateCommand.EXIT_FAILURE;
            }
            CountDownLatch stop = new CountDownLatch(1);
            TerminationSignals.install(stop::countDown);
            try (GatewayRuntime runtime = GatewayRuntime.start(policy, interfaceName, queues)) {
                relay.attach(runtime, policy);
                stop.await();
            } catch (IOException e) {
                Logger.debug(e, "the gateway could not start");
                err.println("gateway: could not start: " + e.getMessage());
                err.flush();
                return ZonegateCommand.EXIT_FAILURE;
            }
        }
        return ZonegateCommand.EXIT_OK;
    }
}
