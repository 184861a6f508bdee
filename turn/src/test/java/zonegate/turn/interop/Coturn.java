package zonegate.turn.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageWriter;
import zonegate.stun.StunMethod;
import zonegate.stun.StunParseResult;
import zonegate.stun.StunParser;

/**
 * coturn's {@code turnserver} as a child process on 127.0.0.1: a temporary configuration in a test's
 * directory, a free listen port, a relay port range of {@value #RELAY_PORTS}, no daemon, no CLI, no TLS,
 * loopback peers allowed, its log on standard output captured to a file. {@link #start} returns once it
 * answers a STUN BINDING; {@link #close} always ends the process (SIGTERM, then SIGKILL after 2 s), and a
 * shutdown hook does it too if the test JVM exits first.
 */
final class Coturn implements AutoCloseable {
    static final Path TURNSERVER = Path.of("/usr/bin/turnserver");
    static final String REALM = "zonegate.test";
    static final int RELAY_PORTS = 20;
    private static final long READY_TIMEOUT_NS = 5_000_000_000L;

    final InetSocketAddress address;
    final int relayPortLow;
    final int relayPortHigh;
    private final Process process;
    private final Path log;
    private final Thread reaper;

    private Coturn(InetSocketAddress address, int relayPortLow, Process process, Path log) {
        this.address = address;
        this.relayPortLow = relayPortLow;
        this.relayPortHigh = relayPortLow + RELAY_PORTS - 1;
        this.process = process;
        this.log = log;
        this.reaper = new Thread(process::destroyForcibly, "coturn-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Long-term credentials with one static user. */
    static List<String> staticUser(String user, String password) {
        return List.of("lt-cred-mech", "user=" + user + ":" + password);
    }

    /** TURN REST credentials (username {@code expiry:account}, password base64(HMAC-SHA1(secret, username))). */
    static List<String> restSecret(String secret) {
        return List.of("use-auth-secret", "static-auth-secret=" + secret);
    }

    /** Starts turnserver in {@code dir} with {@code authLines}; retries on a new port if one was taken. */
    static Coturn start(Path dir, List<String> authLines) throws IOException {
        SplittableRandom random = new SplittableRandom();
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int listenPort = freeUdpPort();
            int relayLow = random.nextInt(40_000, 60_000);
            Path config = dir.resolve("turnserver-" + attempt + ".conf");
            Path log = dir.resolve("turnserver-" + attempt + ".log");
            List<String> lines = new ArrayList<>(List.of(
                    "listening-ip=127.0.0.1",
                    "relay-ip=127.0.0.1",
                    "listening-port=" + listenPort,
                    "min-port=" + relayLow,
                    "max-port=" + (relayLow + RELAY_PORTS - 1),
                    "realm=" + REALM,
                    "fingerprint",
                    "no-cli",
                    "no-tls",
                    "no-dtls",
                    "no-tcp-relay",
                    "allow-loopback-peers",
                    "no-rfc5780",
                    "log-file=stdout",
                    "simple-log",
                    "pidfile=" + dir.resolve("turnserver.pid"),
                    "userdb=" + dir.resolve("turndb")));
            lines.addAll(authLines);
            Files.write(config, lines);
            Process process = new ProcessBuilder(TURNSERVER.toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Coturn coturn = new Coturn(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), relayLow,
                    process, log);
            boolean ready = false;
            try {
                ready = coturn.awaitReady();
            } finally {
                if (!ready) {
                    coturn.close();
                }
            }
            if (ready) {
                return coturn;
            }
            last = new IOException("turnserver did not answer on port " + listenPort + ":\n" + coturn.log());
        }
        throw last;
    }

    /** What turnserver logged so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs anyway.
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    /** Sends BINDING requests every 100 ms until one is answered, the process dies, or 5 s pass. */
    private boolean awaitReady() throws IOException {
        ByteBuffer request = ByteBuffer.allocate(64);
        int length = new StunMessageWriter().begin(request, 0, 64, StunMethod.BINDING.type(StunClass.REQUEST), 1, 2L)
                .addFingerprint().finish();
        ByteBuffer answer = ByteBuffer.allocate(1500);
        long deadline = System.nanoTime() + READY_TIMEOUT_NS;
        try (DatagramChannel channel = DatagramChannel.open(); Selector selector = Selector.open()) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            while (process.isAlive() && System.nanoTime() < deadline) {
                channel.send(request.duplicate().limit(length), address);
                selector.select(100);
                selector.selectedKeys().clear();
                if (channel.receive(answer.clear()) != null && new StunParser().parse(answer.flip(), 0,
                        answer.remaining()) instanceof StunParseResult.Parsed) {
                    return true;
                }
            }
        }
        return false;
    }
}
