package zonegate.wireguard.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A test host: a network namespace made by the test, joined to the test's own namespace by a veth
 * pair with a /30 from 198.18.0.0/15 (RFC 2544's benchmarking range). Only these addresses are ever
 * sent traffic. {@link #close()} kills what was started inside and deletes the namespace, which also
 * removes the veth pair.
 */
final class NetnsHost implements AutoCloseable {
    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    final String name;
    final String vethOutside;
    final InetAddress outsideAddress;
    final InetAddress insideAddress;
    private final List<Process> processes = new ArrayList<>();

    private NetnsHost(String name, String vethOutside, InetAddress outside, InetAddress inside) {
        this.name = name;
        this.vethOutside = vethOutside;
        this.outsideAddress = outside;
        this.insideAddress = inside;
    }

    /** Creates a namespace with a unique name and a veth pair to it. */
    static NetnsHost create() throws IOException, InterruptedException {
        int id = ThreadLocalRandom.current().nextInt(1 << 12);
        String name = "zg" + ProcessHandle.current().pid() + "-" + id;
        String outside = "zgo" + Integer.toHexString(id) + (ProcessHandle.current().pid() % 1000);
        String inside = "zgi" + Integer.toHexString(id) + (ProcessHandle.current().pid() % 1000);
        int subnet = (id % 16384) * 4;
        String outsideIp = "198.18." + (subnet >> 8) + "." + ((subnet & 0xFF) + 1);
        String insideIp = "198.18." + (subnet >> 8) + "." + ((subnet & 0xFF) + 2);
        run("ip", "netns", "add", name);
        NetnsHost host = new NetnsHost(name, outside,
                InetAddress.getByName(outsideIp), InetAddress.getByName(insideIp));
        try {
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
            run("ip", "link", "set", inside, "netns", name);
            run("ip", "addr", "add", outsideIp + "/30", "dev", outside);
            run("ip", "link", "set", outside, "up");
            host.exec("ip", "addr", "add", insideIp + "/30", "dev", inside);
            host.exec("ip", "link", "set", inside, "up");
            host.exec("ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    /** Runs a command inside the namespace and returns its standard output; fails on a non-zero exit. */
    String exec(String... command) throws IOException, InterruptedException {
        return run(inside(command));
    }

    /** Runs a command inside the namespace and returns its exit code, ignoring its output. */
    int execStatus(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(inside(command)).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return waitFor(process, command);
    }

    /** Starts a long-running command inside the namespace; it is killed by {@link #close()}. */
    Process start(Path log, String... command) throws IOException {
        Process process = new ProcessBuilder(inside(command))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(process);
        return process;
    }

    /** Writes {@code content} to a file only root can read (for keys given to `wg set`). */
    static Path secretFile(Path dir, String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content + "\n", StandardCharsets.US_ASCII);
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
        return file;
    }

    @Override
    public void close() {
        // SIGTERM first: wireguard-go then removes its UAPI socket from /var/run/wireguard.
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            run("ip", "netns", "del", name);
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("could not delete namespace " + name + ": " + e.getMessage());
        }
    }

    private String[] inside(String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(command, 0, full, 4, command.length);
        return full;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = waitFor(process, command);
        if (status != 0) {
            throw new IOException(String.join(" ", command) + " exited " + status + ": " + output.strip());
        }
        return output;
    }

    private static int waitFor(Process process, String... command) throws InterruptedException {
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in time");
        }
        return process.exitValue();
    }
}
