package zonegate.app.internal.client;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import zonegate.shell.io.Capabilities;
import zonegate.shell.io.NetworkNamespace;

/**
 * A network namespace of one test and a platform thread inside it, so the TUN devices, routes and rules the
 * client's (or an embedded gateway's) code makes never touch the machine's own. Deleted at {@link #close()}.
 * Skips the test without root, /dev/net/tun or iproute2 (fails instead with ZG_INTEROP=required).
 */
public final class ClientNamespace implements AutoCloseable {
    private final String name;
    private final ExecutorService thread;

    private ClientNamespace(String name, ExecutorService thread) {
        this.name = name;
        this.thread = thread;
    }

    public static ClientNamespace create() throws Exception {
        boolean possible = Files.exists(Path.of("/dev/net/tun")) && Capabilities.hasNetAdmin() && hasIp();
        if ("required".equals(System.getenv("ZG_INTEROP")) && !possible) {
            throw new AssertionError("ZG_INTEROP=required but this process cannot make namespaces and TUN devices");
        }
        assumeTrue(possible, "needs root (CAP_NET_ADMIN), /dev/net/tun and iproute2");
        String name = "zgcl-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFFL);
        command("ip", "netns", "add", name);
        ExecutorService thread = Executors.newSingleThreadExecutor(
                task -> Thread.ofPlatform().name("netns-" + name).daemon().unstarted(task));
        ClientNamespace ns = new ClientNamespace(name, thread);
        try {
            ns.call(() -> {
                NetworkNamespace.enter(Path.of("/var/run/netns", name));
                return null;
            });
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (Exception | Error e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Runs {@code task} on the thread inside the namespace. */
    public <T> T call(Callable<T> task) throws Exception {
        try {
            return thread.submit(task).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Runs a command inside the namespace and returns its output. */
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

    private static String command(String... command) throws IOException, InterruptedException {
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
