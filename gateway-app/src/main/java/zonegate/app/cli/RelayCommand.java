package zonegate.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zonegate.app.internal.gateway.ServiceNotifications;
import zonegate.app.internal.gateway.TerminationSignals;
import zonegate.app.internal.portal.PortalConnectors;
import zonegate.app.internal.relay.RelayRegistration;
import zonegate.app.internal.observe.Observability;
import zonegate.app.internal.observe.SocketLabels;
import zonegate.app.internal.relay.RelayRuntime;
import zonegate.app.internal.relay.RelaySecrets;
import zonegate.turn.server.Cidr;
import zonegate.turn.server.PeerPolicy;
import zonegate.turn.server.RelayConfig;

/**
 * {@code zonegate relay --listen ADDR:PORT --relay-ports LO-HI (--users-file F | --auth-secret-file F | ...)}:
 * runs a TURN relay (RFC 8656, UDP) until SIGTERM or SIGINT.
 *
 * <p>Secrets come from files ({@code --users-file}, {@code --auth-secret-file}, which must not be readable
 * by group or others) or the REST secret from {@value RelaySecrets#AUTH_SECRET_VARIABLE}; {@code --user}
 * and {@code --auth-secret} still work but put the secret in the process list, and a WARN says so.
 *
 * <p>With {@code --portal URL --token-file FILE} the relay makes a fresh REST secret at start and registers with
 * the portal, which mints credentials from it for gateways and clients.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = {"Run a TURN relay (RFC 8656 over UDP) with long-term credentials: static users and/or",
                "TURN REST credentials (coturn's use-auth-secret). Every port of the relay range is one UDP",
                "socket, opened at start. Needs no privileges for ports >= 1024. Stops gracefully on SIGTERM",
                "or SIGINT and exits 0. The REST secret may also come from the environment variable",
                RelaySecrets.AUTH_SECRET_VARIABLE + ". With --portal and --token-file the relay makes a fresh",
                "REST secret and registers with the portal (exit code 3 if the portal refuses the token)."})
final class RelayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PortalOptions portal;

    @Mixin
    MetricsOption metrics;

    @Mixin
    AdminSocketOption admin;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "relay",
            description = "With --portal: the name the portal logs for this relay (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--listen", required = true, paramLabel = "ADDR:PORT",
            description = "Address and UDP port of the listen socket, e.g. 0.0.0.0:3478 or [2001:db8::1]:3478.")
    String listen;

    @Option(names = "--relay-ports", required = true, paramLabel = "LO-HI",
            description = "Relay port range, inclusive, e.g. 49152-49251 (one socket per port).")
    String relayPorts;

    @Option(names = "--relay-address", paramLabel = "IP",
            description = "Address reported to clients as their relayed address (default: the listen address; "
                    + "required when listening on a wildcard address).")
    String relayAddress;

    @Option(names = "--users-file", paramLabel = "FILE",
            description = "Static users, one USER:PASSWORD per line (# comments); mode 600 or stricter.")
    Path usersFile;

    @Option(names = "--user", paramLabel = "USER:PASSWORD",
            description = "A static user; repeatable. Visible in the process list: prefer --users-file.")
    List<String> users = List.of();

    @Option(names = "--auth-secret-file", paramLabel = "FILE",
            description = "File holding the TURN REST shared secret (trailing newline ignored); mode 600 or "
                    + "stricter. REST usernames are 'expiry[:account]', passwords "
                    + "base64(HMAC-SHA1(secret, username)).")
    Path authSecretFile;

    @Option(names = "--auth-secret", paramLabel = "SECRET",
            description = "The TURN REST shared secret itself. Visible in the process list: prefer "
                    + "--auth-secret-file or " + RelaySecrets.AUTH_SECRET_VARIABLE + ".")
    String authSecret;

    @Option(names = "--realm", paramLabel = "REALM", defaultValue = "zonegate",
            description = "REALM of the long-term credentials (default: ${DEFAULT-VALUE}).")
    String realm;

    @Option(names = "--user-quota", paramLabel = "N",
            description = "Allocations per user or REST account; must be below the number of relay ports "
                    + "(default: half the ports, at most 100).")
    Integer userQuota;

    @Option(names = "--allow-peer", paramLabel = "CIDR",
            description = "Let clients relay to peers in CIDR although the default policy refuses them "
                    + "(private, shared, link-local, loopback, NAT64 and this host's addresses; other "
                    + "allocations on this relay are always allowed); repeatable.")
    List<String> allowPeers = List.of();

    @Option(names = "--allow-loopback-peers",
            description = "Short for --allow-peer 127.0.0.0/8 --allow-peer ::1/128 (tests).")
    boolean allowLoopbackPeers;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        String token = null;
        byte[] portalSecret = null;
        if (portal.given()) {
            token = portal.token("relay", err);
            if (token == null) {
                err.flush();
                return ZonegateCommand.EXIT_USAGE;
            }
            portalSecret = new byte[32];
            new SecureRandom().nextBytes(portalSecret);
        }
        InetSocketAddress listenAddress;
        RelayConfig config;
        String stamp = portalSecret == null ? null : Base64.getEncoder().encodeToString(portalSecret);
        try {
            listenAddress = parseListen(listen);
            config = config(listenAddress, portalSecret);
        } catch (IllegalArgumentException | UnknownHostException e) {
            err.println("relay: " + e.getMessage());
            err.flush();
            return ZonegateCommand.EXIT_USAGE;
        }
        if (!users.isEmpty() || authSecret != null) {
            Logger.warn("--user and --auth-secret show their secrets in the process list (/proc/PID/cmdline) to "
                    + "every local user; use --users-file, --auth-secret-file or " + RelaySecrets.AUTH_SECRET_VARIABLE);
        }
        Observability observe = metrics.open("relay", List.of("sockets"), null, err);
        if (observe == null) {
            return ZonegateCommand.EXIT_USAGE;
        }
        AdminSocketOption.Admin adminSocket = admin.open("relay", "relay", err);
        if (adminSocket == null) {
            observe.close();
            return ZonegateCommand.EXIT_USAGE;
        }
        CountDownLatch stop = new CountDownLatch(1);
        boolean[] refused = new boolean[1];
        TerminationSignals.install(stop::countDown);
        try (observe; adminSocket; RelayRuntime runtime = RelayRuntime.start(config, listenAddress)) {
            observe.attach(runtime::loop, SocketLabels.relay());
            String listening = zonegate.app.internal.status.StatusCollector.text(runtime.listenAddress());
            adminSocket.attach(runtime.loop(), r -> r.withSelf(r.self().withListen(List.of(listening))));
            observe.readiness().set("sockets", true, "listening on " + runtime.listenAddress());
            InetSocketAddress advertised = new InetSocketAddress(config.relayAddressV4() != null
                    ? config.relayAddressV4() : config.relayAddressV6(), runtime.listenAddress().getPort());
            ServiceNotifications service = ServiceNotifications.ready(runtime.loop(), "relay listening");
            if (token == null) {
                stop.await();
            } else {
                try (RelayRegistration registration = RelayRegistration.start(PortalConnectors.websocket(),
                        portal.portal, token, portal.ca(), name, advertised, stamp, () -> {
                            refused[0] = true;
                            stop.countDown();
                        })) {
                    stop.await();
                }
            }
            service.stopping();
        } catch (IOException e) {
            Logger.debug(e, "the relay could not start");
            err.println("relay: could not start: " + e.getMessage());
            err.flush();
            return ZonegateCommand.EXIT_FAILURE;
        }
        if (refused[0]) {
            err.println("relay: stopped: the portal refused the token");
            err.flush();
            return ZonegateCommand.EXIT_REFUSED;
        }
        return ZonegateCommand.EXIT_OK;
    }

    /** @param portalSecret the secret registered with the portal (then no other REST secret may be given), or null */
    private RelayConfig config(InetSocketAddress listenAddress, byte[] portalSecret) throws UnknownHostException {
        Map<String, byte[]> staticKeys = new HashMap<>();
        if (usersFile != null) {
            RelaySecrets.readUsers(usersFile, realm, staticKeys);
        }
        users.forEach(user -> RelaySecrets.addUser(user, realm, staticKeys));
        byte[] restSecret = restSecret(authSecret, authSecretFile, System.getenv(RelaySecrets.AUTH_SECRET_VARIABLE));
        if (portalSecret != null) {
            if (restSecret != null) {
                throw new IllegalArgumentException("with --portal the relay makes its own REST secret: drop "
                        + "--auth-secret-file, --auth-secret and " + RelaySecrets.AUTH_SECRET_VARIABLE);
            }
            restSecret = portalSecret;
        }
        if (staticKeys.isEmpty() && restSecret == null) {
            throw new IllegalArgumentException("give --portal URL with --token-file FILE, static users (--users-file "
                    + "FILE or --user USER:PASSWORD) or a REST secret (--auth-secret-file FILE, " + RelaySecrets.AUTH_SECRET_VARIABLE + " or --auth-secret)");
        }
        int dash = relayPorts.indexOf('-');
        if (dash < 1) {
            throw new IllegalArgumentException("--relay-ports wants LO-HI, e.g. 49152-49251, got '" + relayPorts + "'");
        }
        int low = port(relayPorts.substring(0, dash), "--relay-ports");
        int high = port(relayPorts.substring(dash + 1), "--relay-ports");
        if (low > high || listenAddress.getPort() >= low && listenAddress.getPort() <= high) {
            throw new IllegalArgumentException("bad --relay-ports " + relayPorts
                    + ": low must not exceed high, and the range must not hold the listen port");
        }
        InetAddress advertised = relayAddress != null ? InetAddress.getByName(relayAddress) : listenAddress.getAddress();
        if (advertised.isAnyLocalAddress()) {
            throw new IllegalArgumentException("listening on a wildcard address needs --relay-address IP");
        }
        if ((advertised instanceof Inet4Address) != (listenAddress.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException("--relay-address must be of the listen address's family");
        }
        List<Cidr> allowed = new ArrayList<>();
        for (String text : allowPeers) {
            try {
                allowed.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--allow-peer: " + e.getMessage(), e);
            }
        }
        if (allowLoopbackPeers) {
            allowed.addAll(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")));
        }
        boolean v4 = advertised instanceof Inet4Address;
        RelayConfig config = RelayConfig.of(realm, v4 ? advertised : null, v4 ? null : advertised, low, high)
                .withStaticKeys(staticKeys)
                .withRestSecret(restSecret)
                .withPeerPolicy(PeerPolicy.defaults().allowing(allowed));
        if (restSecret != null) {
            Arrays.fill(restSecret, (byte) 0);
        }
        return userQuota == null ? config : config.withQuotas(config.maxAllocations(), userQuota,
                config.maxPermissionsPerAllocation(), config.maxChannelsPerAllocation());
    }

    /**
     * The REST secret from exactly one of {@code --auth-secret}, {@code --auth-secret-file} and the
     * environment variable's value {@code fromEnvironment} (unset or empty counts as absent), or null.
     */
    static byte[] restSecret(String fromOption, Path file, String fromEnvironment) {
        boolean environment = fromEnvironment != null && !fromEnvironment.isEmpty();
        if ((fromOption != null ? 1 : 0) + (file != null ? 1 : 0) + (environment ? 1 : 0) > 1) {
            throw new IllegalArgumentException("give the REST secret once: --auth-secret-file, "
                    + RelaySecrets.AUTH_SECRET_VARIABLE + " or --auth-secret");
        }
        if (file != null) {
            return RelaySecrets.readAuthSecret(file);
        }
        String text = fromOption != null ? fromOption : environment ? fromEnvironment : null;
        if (text != null && text.isEmpty()) {
            throw new IllegalArgumentException("--auth-secret is empty");
        }
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    static InetSocketAddress parseListen(String text) throws UnknownHostException {
        int colon = text.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--listen wants ADDR:PORT, e.g. 0.0.0.0:3478, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("--listen: write an IPv6 address in brackets, e.g. [::]:3478");
        }
        return new InetSocketAddress(InetAddress.getByName(host), port(text.substring(colon + 1), "--listen"));
    }

    private static int port(String text, String option) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": '" + text + "' is not a port (1-65535)");
    }
}
