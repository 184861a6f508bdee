package zonegate.tunnel.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * coturn's {@code turnserver} on 127.0.0.1 with a long-term credential user, as a child process (no
 * daemon, no CLI, no TLS, an empty config file, loopback peers allowed), killed on {@link #close()}.
 */
final class CoturnServer implements AutoCloseable {
    static final String USER = "zonegate";
    static final String PASSWORD = "interop-password";

    private final Process process;
    private final InetSocketAddress address;
    private final Path directory;
    private final StringBuffer log = new StringBuffer();

    private CoturnServer(Process process, InetSocketAddress address, Path directory) {
        this.process = process;
        this.address = address;
        this.directory = directory;
    }

    static CoturnServer start() throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            port = probe.getLocalPort();
        }
        Path directory = Files.createTempDirectory("zg-coturn");
        Path config = Files.writeString(directory.resolve("turnserver.conf"), "");
        int minPort = 49_152 + (port % 8_000);
        Process process = new ProcessBuilder(List.of("timeout", "120", InteropRequirement.TURNSERVER.toString(),
                "-c", config.toString(), "-n", "--no-cli", "--no-tls", "--no-dtls",
                "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1", "--listening-port", Integer.toString(port),
                "--min-port", Integer.toString(minPort), "--max-port", Integer.toString(minPort + 200),
                "--allow-loopback-peers", "--lt-cred-mech", "--user", USER + ":" + PASSWORD, "--realm", "zonegate.test",
                "--pidfile", directory.resolve("turnserver.pid").toString(),
                "--userdb", directory.resolve("turndb").toString(), "--log-file", "stdout", "--simple-log"))
                .redirectErrorStream(true).start();
        CoturnServer server = new CoturnServer(process, new InetSocketAddress(loopback, port), directory);
        CountDownLatch ready = new CountDownLatch(1);
        Thread.ofPlatform().daemon().name("turnserver-log").start(() -> server.readLog(ready));
        if (!ready.await(10, TimeUnit.SECONDS)) {
            server.close();
            throw new IOException("turnserver did not start:\n" + server.log);
        }
        return server;
    }

    private void readLog(CountDownLatch ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                log.append(line).append('\n');
                if (line.contains("Total General servers")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            log.append(e).append('\n');
        }
    }

    InetSocketAddress address() {
        return address;
    }

    String log() {
        return log.toString();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
