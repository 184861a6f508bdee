package zonegate.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zonegate.app.internal.client.ClientOptions;
import zonegate.app.internal.client.ClientRuntime;
import zonegate.app.internal.client.ResetSignal;
import zonegate.app.internal.gateway.TerminationSignals;
import zonegate.app.internal.observe.Observability;
import zonegate.app.internal.observe.PortalWatch;
import zonegate.app.internal.portal.PortalConnector;
import zonegate.app.internal.portal.PortalConnectors;
import zonegate.shell.io.Capabilities;
import zonegate.wireguard.AeadChoice;

/**
 * {@code zonegate client --portal URL --token-file FILE}: the headless client, until SIGTERM or SIGINT (exit 0)
 * or until the portal refuses the token (exit {@value ClientRuntime#EXIT_REFUSED}). SIGUSR1 resets its
 * connections, as a change of the host's network does.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = {"Run the headless client: a TUN device with the portal's tunnel addresses and routes for",
                "the resources, a stub DNS resolver, and connections to gateways made on first packet.",
                "Needs CAP_NET_ADMIN. SIGUSR1 resets the connections (new ports and key). Stops gracefully",
                "on SIGTERM or SIGINT and exits 0; exits 3 when the portal refuses the token."})
final class ClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PortalOptions portal;

    @Mixin
    MetricsOption metrics;

    @Mixin
    AeadOption aead;

    @Mixin
    TunOffloadOption tunOffload;

    @Option(names = "--interface", paramLabel = "NAME", defaultValue = "zgc0",
            description = "Name of the TUN device to create (default: ${DEFAULT-VALUE}).")
    String interfaceName;

    @Option(names = "--dns", paramLabel = "MODE", defaultValue = "resolv-conf",
            description = "resolv-conf (default: point /etc/resolv.conf at the stub resolver while running; the "
                    + "original is kept in /etc/resolv.conf.zonegate-backup) or none.")
    String dns;

    @Option(names = "--internet", paramLabel = "on|off", defaultValue = "off",
            description = "Route all traffic through the Internet resource when the portal lists one "
                    + "(default: ${DEFAULT-VALUE}).")
    String internet;

    private final PortalConnector connector;

    ClientCommand() {
        this(PortalConnectors.websocket());
    }

    ClientCommand(PortalConnector connector) {
        this.connector = connector;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        ClientOptions.DnsMode dnsMode = switch (dns) {
            case "resolv-conf" -> ClientOptions.DnsMode.RESOLV_CONF;
            case "none" -> ClientOptions.DnsMode.NONE;
            default -> null;
        };
        if (dnsMode == null || !(internet.equals("on") || internet.equals("off"))) {
            return usage(err, dnsMode == null ? "--dns must be resolv-conf or none, not " + dns
                    : "--internet must be on or off, not " + internet);
        }
        AeadChoice aeadChoice = aead.choice("client", err);
        Boolean offload = tunOffload.enabled("client", err);
        if (aeadChoice == null || offload == null) {
            return ZonegateCommand.EXIT_USAGE;
        }
        if (!portal.given()) {
            return usage(err, "give --portal URL and --token-file FILE");
        }
        String token = portal.token("client", err);
        if (token == null) {
            err.flush();
            return ZonegateCommand.EXIT_USAGE;
        }
        if (!Capabilities.hasNetAdmin()) {
            err.println("client: zonegate client needs CAP_NET_ADMIN to create its TUN device and routes: run it as "
                    + "root or grant it with 'setcap cap_net_admin+ep' on the launcher's java binary");
            err.flush();
            return ZonegateCommand.EXIT_FAILURE;
        }
        ClientOptions options = ClientOptions.of(portal.portal, token, portal.ca(), interfaceName, dnsMode,
                internet.equals("on")).withAead(aeadChoice).withTunOffload(offload);
        PortalWatch watch = new PortalWatch();
        Observability observe = metrics.open("client", List.of("device", "sockets"), watch, err);
        if (observe == null) {
            return ZonegateCommand.EXIT_USAGE;
        }
        ClientRuntime runtime;
        try {
            runtime = ClientRuntime.start(options, PortalConnectors.watched(connector, watch));
        } catch (IOException | UnsupportedOperationException e) {
            observe.close();
            Logger.debug(e, "the client could not start");
            err.println("client: could not start: " + e.getMessage());
            err.flush();
            return ZonegateCommand.EXIT_FAILURE;
        }
        try (observe; runtime) {
            observe.attach(runtime::loop);
            observe.readiness().set("device", true, interfaceName + " up");
            observe.readiness().set("sockets", true, "UDP sockets open");
            TerminationSignals.install(runtime::requestStop);
            ResetSignal.install(() -> runtime.reset("SIGUSR1"));
            int code = runtime.awaitStopRequest();
            if (code == ClientRuntime.EXIT_REFUSED) {
                err.println("client: the portal refused the token in " + portal.tokenFile + ": get a new one");
                err.flush();
            }
            return code;
        }
    }

    private int usage(PrintWriter err, String message) {
        err.println("client: " + message);
        err.flush();
        return ZonegateCommand.EXIT_USAGE;
    }
}
