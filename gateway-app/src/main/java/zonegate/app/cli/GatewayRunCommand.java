package zonegate.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zonegate.app.internal.controlplane.SystemResolvers;
import zonegate.app.internal.gateway.GatewayRuntime;
import zonegate.app.internal.gateway.IceGatewayRuntime;
import zonegate.app.internal.gateway.PolicyRelay;
import zonegate.app.internal.gateway.ServiceNotifications;
import zonegate.app.internal.gateway.TerminationSignals;
import zonegate.app.internal.observe.Observability;
import zonegate.app.internal.observe.PortalWatch;
import zonegate.app.internal.portal.PortalConnectors;
import zonegate.shell.io.Capabilities;
import zonegate.app.spi.ControlPlane;
import zonegate.app.spi.ControlPlaneOptions;
import zonegate.app.spi.ControlPlaneProvider;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.PolicyProblem;
import zonegate.wireguard.AeadChoice;

/**
 * {@code zonegate gateway --config FILE} (static mode): runs the gateway until SIGTERM or SIGINT. Stock WireGuard
 * clients connect to it directly; the static control plane file says who may reach what, and is
 * reloaded on SIGHUP and when it changes.
 *
 * <p>{@code zonegate gateway --portal URL --token-file FILE} (ICE mode): everything comes from the portal, and the
 * gateway keeps no inbound port open.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Run the gateway. Static mode (--config): a TUN device with the gateway's tunnel addresses,",
                "WireGuard on the listen port, and the policy of the configuration file (reloaded on SIGHUP and on",
                "change). ICE mode (--portal, --token-file): tunnel addresses, clients and relays from the portal;",
                "no inbound port. Needs CAP_NET_ADMIN. Stops gracefully on SIGTERM or SIGINT and exits 0; exits 3",
                "if the portal refuses the token."})
final class GatewayRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Static mode: the gateway's configuration (JSON), e.g. /etc/zonegate/gateway.json.")
    Path config;

    @Mixin
    PortalOptions portal;

    @Mixin
    MetricsOption metrics;

    @Mixin
    AeadOption aead;

    @Mixin
    TunOffloadOption tunOffload;

    @Mixin
    AdminSocketOption admin;

    @Option(names = "--name", paramLabel = "NAME",
            description = "ICE mode: the name the portal logs for this gateway (default: the host name).")
    String name;

    @Option(names = "--upstream-dns", paramLabel = "IP", split = ",",
            description = "ICE mode: the DNS servers that resolve DNS resources (default: those of /etc/resolv.conf).")
    List<String> upstreamDns = new ArrayList<>();

    @Option(names = "--interface", paramLabel = "NAME", defaultValue = "zg0",
            description = "Name of the TUN device to create (default: ${DEFAULT-VALUE}).")
    String interfaceName;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
            description = "TUN queues, each with its own reader (default: ${DEFAULT-VALUE}).")
    int queues;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (portal.given() == (config != null)) {
            err.println("gateway: give either --config FILE (static mode) or --portal URL with --token-file FILE (ICE mode)");
            err.flush();
            return ZonegateCommand.EXIT_USAGE;
        }
        AeadChoice aeadChoice = aead.choice("gateway", err);
        Boolean offload = tunOffload.enabled("gateway", err);
        if (aeadChoice == null || offload == null) {
            return ZonegateCommand.EXIT_USAGE;
        }
        if (portal.given()) {
            return runWithPortal(err, aeadChoice, offload);
        }
        Observability observe = metrics.open("gateway", List.of("policy", "device", "sockets"), null, err);
        if (observe == null) {
            return ZonegateCommand.EXIT_USAGE;
        }
        AdminSocketOption.Admin adminSocket = admin.open("gateway", "gateway", err);
        if (adminSocket == null) {
            observe.close();
            return ZonegateCommand.EXIT_USAGE;
        }
        ControlPlaneProvider provider = ControlPlaneProvider.named("static").orElseThrow();
        PolicyRelay relay = new PolicyRelay();
        try (observe; adminSocket; ControlPlane plane = provider.open(ControlPlaneOptions.ofFile(config))) {
            plane.start(relay);
            CountDownLatch stop = new CountDownLatch(1);
            GatewayPolicy policy = relay.initialPolicy();
            if (policy == null) {
                List<PolicyProblem> problems = relay.initialRejection().problems();
                problems.forEach(err::println);
                if (!observe.serving()) {
                    err.println("gateway: not started: " + config + " is invalid");
                    err.flush();
                    return ZonegateCommand.EXIT_USAGE;
                }
                policy = awaitValidPolicy(relay, problems, observe, stop, err);
                if (policy == null) {
                    return ZonegateCommand.EXIT_OK;
                }
            }
            if (!netAdmin(err)) {
                return ZonegateCommand.EXIT_FAILURE;
            }
            TerminationSignals.install(stop::countDown);
            observe.readiness().set("policy", true, "loaded from " + config);
            try (GatewayRuntime runtime = GatewayRuntime.start(policy, interfaceName, queues, aeadChoice, offload)) {
                relay.attach(runtime, policy);
                observe.attach(runtime.loop());
                adminSocket.attach(runtime.loop(), r -> r.withSelf(r.self().withInterfaceName(interfaceName)));
                observe.readiness().set("device", true, interfaceName + " up");
                observe.readiness().set("sockets", true, "UDP port " + policy.gateway().listenPort());
                ServiceNotifications service = ServiceNotifications.ready(runtime.loop(), "gateway listening");
                stop.await();
                service.stopping();
            } catch (IOException e) {
                Logger.debug(e, "the gateway could not start");
                err.println("gateway: could not start: " + e.getMessage());
                err.flush();
                return ZonegateCommand.EXIT_FAILURE;
            }
        }
        return ZonegateCommand.EXIT_OK;
    }

    /**
     * With {@code --metrics}, an invalid file at start leaves the gateway waiting for a valid one (the file is
     * watched and reloaded on SIGHUP) with {@code /readyz} failing on {@code policy}; null when told to stop first.
     */
    private GatewayPolicy awaitValidPolicy(PolicyRelay relay, List<PolicyProblem> problems, Observability observe,
                                           CountDownLatch stop, PrintWriter err) throws InterruptedException {
        observe.readiness().set("policy", false, config + " is invalid (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + ", first: " + problems.getFirst() + ")");
        err.println("gateway: " + config + " is invalid: waiting for a valid file (fix it, or send SIGHUP after "
                + "fixing it); /readyz fails until then");
        err.flush();
        TerminationSignals.install(() -> {
            stop.countDown();
            relay.cancel();
        });
        return relay.awaitInitialPolicy();
    }

    private int runWithPortal(PrintWriter err, AeadChoice aeadChoice, boolean offload) throws InterruptedException {
        String token = portal.token("gateway", err);
        List<InetAddress> upstream = upstream(err);
        if (token == null || upstream == null) {
            err.flush();
            return ZonegateCommand.EXIT_USAGE;
        }
        if (!netAdmin(err)) {
            return ZonegateCommand.EXIT_FAILURE;
        }
        PortalWatch watch = new PortalWatch();
        Observability observe = metrics.open("gateway", List.of("device", "sockets"), watch, err);
        if (observe == null) {
            return ZonegateCommand.EXIT_USAGE;
        }
        AdminSocketOption.Admin adminSocket = admin.open("gateway", "gateway", err);
        if (adminSocket == null) {
            observe.close();
            return ZonegateCommand.EXIT_USAGE;
        }
        CountDownLatch stop = new CountDownLatch(1);
        boolean[] refusedLater = new boolean[1];
        TerminationSignals.install(stop::countDown);
        IceGatewayRuntime.Options options = new IceGatewayRuntime.Options(portal.portal, token, portal.ca(),
                name != null ? name : hostName(), interfaceName, upstream, aeadChoice, offload);
        try (observe; adminSocket; IceGatewayRuntime runtime = IceGatewayRuntime.start(options,
                PortalConnectors.watched(PortalConnectors.websocket(), watch), () -> {
            refusedLater[0] = true;
            stop.countDown();
        })) {
            observe.attach(runtime.loop());
            adminSocket.attach(runtime.loop(), r -> r.withSelf(r.self().withInterfaceName(interfaceName)));
            observe.readiness().set("device", true, interfaceName + " up");
            observe.readiness().set("sockets", true, "UDP sockets open");
            ServiceNotifications service = ServiceNotifications.ready(runtime.loop(), "gateway connected to the portal");
            stop.await();
            service.stopping();
        } catch (IceGatewayRuntime.StartFailure e) {
            err.println("gateway: not started: " + e.getMessage());
            err.flush();
            return e.refused() ? ZonegateCommand.EXIT_REFUSED : ZonegateCommand.EXIT_FAILURE;
        } catch (IOException e) {
            Logger.debug(e, "the gateway could not start");
            err.println("gateway: could not start: " + e.getMessage());
            err.flush();
            return ZonegateCommand.EXIT_FAILURE;
        }
        if (refusedLater[0]) {
            err.println("gateway: stopped: the portal refused the token");
            err.flush();
            return ZonegateCommand.EXIT_REFUSED;
        }
        return ZonegateCommand.EXIT_OK;
    }

    private List<InetAddress> upstream(PrintWriter err) {
        if (upstreamDns.isEmpty()) {
            return SystemResolvers.fromResolvConf();
        }
        List<InetAddress> servers = new ArrayList<>();
        for (String text : upstreamDns) {
            try {
                servers.add(InetAddress.ofLiteral(text.strip()));
            } catch (IllegalArgumentException e) {
                err.println("gateway: --upstream-dns " + text + " is not an IP address");
                return null;
            }
        }
        return servers;
    }

    private static boolean netAdmin(PrintWriter err) {
        if (Capabilities.hasNetAdmin()) {
            return true;
        }
        err.println("gateway: zonegate gateway needs CAP_NET_ADMIN to create its TUN device: run it as root "
                + "or grant it with 'setcap cap_net_admin+ep' on the launcher's java binary");
        err.flush();
        return false;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "gateway";
        }
    }
}
