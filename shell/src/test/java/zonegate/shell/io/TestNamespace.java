package zonegate.shell.io;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test ({@code ip netns add zgio-<random>}) and a platform thread that
 * has entered it, so TUN devices, routes and sockets the test creates never touch the machine's own
 * namespace. Deleted on {@link #close()}, also when the test failed.
 *
 * <p>Skips the test (an assumption) without root or /dev/net/tun, unless ZG_INTEROP=required, then fails.
 */
public final class TestNamespace implements AutoCloseable {
    private final String name;
    private final ExecutorService thread;

    private TestNamespace(String name, ExecutorService thread) {
        this.name = name;
        this.thread = thread;
    }

    /** Creates the namespace with its loopback up, and its thread. */
    public static TestNamespace create() throws Exception {
        requireNamespaces();
        String name = "zgio-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFFL);
        command("ip", "netns", "add", name);
        ExecutorService thread = Executors.newSingleThreadExecutor(
                task -> Thread.ofPlatform().name("netns-" + name).daemon().unstarted(task));
        TestNamespace namespace = new TestNamespace(name, thread);
        try {
            namespace.call(() -> {
                NetworkNamespace.enter(Path.of("/var/run/netns", name));
                return null;
            });
            namespace.exec("ip", "link", "set", "lo", "up");
        } catch (Exception | Error e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    /** Skips (or, with ZG_INTEROP=required, fails) unless this process can make namespaces and TUN devices. */
    public static void requireNamespaces() {
        boolean possible = Files.exists(Path.of("/dev/net/tun")) && Capabilities.hasNetAdmin()
                && Files.isDirectory(Path.of("/proc/self/ns")) && hasIp();
        if ("required".equals(System.getenv("ZG_INTEROP")) && !possible) {
            fail("ZG_INTEROP=required but this process cannot create namespaces and TUN devices (root, /dev/net/tun, ip)");
        }
        assumeTrue(possible, "needs root (CAP_NET_ADMIN), /dev/net/tun and iproute2");
    }

    public String name() {
        return name;
    }

    /** A TUN device in this namespace, up, MTU 1280, 100.64.0.1/32 routing 100.64.0.0/24 (and IPv6 likewise). */
    public TunDevice configuredTun(String name, int queues) throws Exception {
        return call(() -> TunDeviceTest.configuredDevice(name, queues, false));
    }

    /** {@link #configuredTun(String, int)}, with or without offloads (IFF_VNET_HDR, TSO, USO). */
    public TunDevice configuredTun(String name, int queues, boolean offload) throws Exception {
        return call(() -> TunDeviceTest.configuredDevice(name, queues, offload));
    }

    /** Opens a UDP socket inside this namespace. */
    public UdpSocket udpSocket(java.net.InetSocketAddress bind, int bufferBytes) throws Exception {
        return call(() -> UdpSocket.open(bind, bufferBytes));
    }

    /** Runs {@code task} on the thread inside the namespace and returns its result. */
    public <T> T call(Callable<T> task) throws Exception {
        try {
            return thread.submit(task).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Runs a command inside the namespace ({@code ip netns exec}) and returns its standard output. */
    public String exec(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return command(full.toArray(String[]::new));
    }

    @Override
    public void close() throws Exception {
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
        command("ip", "netns", "del", name);
    }

    static String command(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static boolean hasIp() {
        try {
            command("ip", "netns", "list");
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
