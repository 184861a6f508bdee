package zonegate.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.tinylog.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zonegate.app.internal.gateway.TerminationSignals;
import zonegate.app.internal.relay.RelayRuntime;
import zonegate.turn.server.RelayConfig;

/**
 * {@code zonegate relay --listen ADDR:PORT --relay-ports LO-HI (--user U:P ... | --auth-secret S)}: runs a
 * TURN relay (RFC 8656, UDP) until SIGTERM or SIGINT.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = {"Run a TURN relay (RFC 8656 over UDP) with long-term credentials: static users and/or",
                "TURN REST credentials (coturn's use-auth-secret). Every port of the relay range is one UDP",
                "socket, opened at start. Needs no privileges for ports >= 1024. Stops gracefully on SIGTERM",
                "or SIGINT and exits 0."})
final class RelayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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

    @Option(names = "--user", paramLabel = "USER:PASSWORD", description = "A static user; repeatable.")
    List<String> users = List.of();

    @Option(names = "--auth-secret", paramLabel = "SECRET",
            description = "TURN REST shared secret: username 'expiry[:account]', password "
                    + "base64(HMAC-SHA1(secret, username)).")
    String authSecret;

    @Option(names = "--realm", paramLabel = "REALM", defaultValue = "zonegate",
            description = "REALM of the long-term credentials (default: ${DEFAULT-VALUE}).")
    String realm;

    @Option(names = "--allow-loopback-peers",
            description = "Let clients relay to loopback peers (for tests); refused by default, as are "
                    + "unspecified and multicast addresses.")
    boolean allowLoopbackPeers;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress listenAddress;
        RelayConfig config;
        try {
            listenAddress = parseListen(listen);
            config = config(listenAddress);
        } catch (IllegalArgumentException | UnknownHostException e) {
            err.println("relay: " + e.getMessage());
            err.flush();
            return ZonegateCommand.EXIT_USAGE;
        }
        CountDownLatch stop = new CountDownLatch(1);
        TerminationSignals.install(stop::countDown);
        try (RelayRuntime runtime = RelayRuntime.start(config, listenAddress)) {
            stop.await();
        } catch (IOException e) {
            Logger.debug(e, "the relay could not start");
            err.println("relay: could not start: " + e.getMessage());
            err.flush();
            return ZonegateCommand.EXIT_FAILURE;
        }
        return ZonegateCommand.EXIT_OK;
    }

    private RelayConfig config(InetSocketAddress listenAddress) throws UnknownHostException {
        if (users.isEmpty() && authSecret == null) {
            throw new IllegalArgumentException("give at least one --user USER:PASSWORD or --auth-secret SECRET");
        }
        Map<String, String> staticUsers = new LinkedHashMap<>();
        for (String user : users) {
            int colon = user.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("--user wants USER:PASSWORD, got '" + user + "'");
            }
            staticUsers.put(user.substring(0, colon), user.substring(colon + 1));
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
        boolean v4 = advertised instanceof Inet4Address;
        return RelayConfig.of(realm, v4 ? advertised : null, v4 ? null : advertised, low, high)
                .withStaticUsers(staticUsers)
                .withRestSecret(authSecret)
                .withPeerPolicy(peerPolicy(allowLoopbackPeers));
    }

    /** RFC 8656 section 21.2: a relay should not let clients reach the relay host itself or multicast groups. */
    private static Predicate<InetAddress> peerPolicy(boolean allowLoopback) {
        return peer -> !peer.isAnyLocalAddress() && !peer.isMulticastAddress()
                && (allowLoopback || !peer.isLoopbackAddress());
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
