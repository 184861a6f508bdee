package zonegate.app.internal.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.tinylog.Logger;

/**
 * {@code --dns resolv-conf}: points the host at the stub resolver by rewriting {@code /etc/resolv.conf}, and puts
 * the original back at stop.
 *
 * <p>The original is kept at {@value #DEFAULT_BACKUP} (beside the file, so the swap is a rename): the file, or
 * the symbolic link it was (systemd-resolved's), is moved there and a new file written in its place. Where the
 * file cannot be renamed (a container's bind mount) its bytes are copied to the backup and the file rewritten in
 * place. At stop the backup goes back. A backup found at start was left by a client that did not stop cleanly:
 * it is put back first, so the system's servers read next are the real ones.
 *
 * <p>Search and options lines of the original are kept. Not thread-safe (the state thread writes, the runtime
 * restores after the loop stopped).
 */
final class ResolvConf implements SystemDns {
    static final String DEFAULT_PATH = "/etc/resolv.conf";
    static final String DEFAULT_BACKUP = "/etc/resolv.conf.zonegate-backup";
    private static final int MAX_BYTES = 64 * 1024;

    private final Path file;
    private final Path backup;
    private final List<InetSocketAddress> systemServers;
    private final List<String> keptLines;
    private boolean written;

    private ResolvConf(Path file, Path backup, List<InetSocketAddress> systemServers, List<String> keptLines) {
        this.file = file;
        this.backup = backup;
        this.systemServers = systemServers;
        this.keptLines = keptLines;
    }

    /** Restores a leftover backup, then reads the system's nameservers from {@code file}. */
    static ResolvConf open(Path file, Path backup) throws IOException {
        if (Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) {
            Logger.warn("{} was left by a client that did not stop cleanly: restoring it to {}", backup, file);
            putBack(file, backup);
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, 0, Math.min(bytes.length, MAX_BYTES), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                String[] words = line.strip().split("\\s+");
                if (words.length >= 2 && words[0].equals("nameserver")) {
                    nameserver(words[1]).ifPresent(servers::add);
                } else if (words.length >= 2 && (words[0].equals("search") || words[0].equals("domain")
                        || words[0].equals("options"))) {
                    kept.add(line.strip());
                }
            }
        }
        return new ResolvConf(file, backup, List.copyOf(servers), List.copyOf(kept));
    }

    /** The nameservers the host used before (port 53), in order. */
    List<InetSocketAddress> systemServers() {
        return systemServers;
    }

    @Override
    public void useServers(List<InetAddress> servers) throws IOException {
        if (servers.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder("# Written by zonegate client while it runs; the original is ")
                .append(backup).append(" and comes back when the client stops.\n");
        for (InetAddress server : servers) {
            text.append("nameserver ").append(server.getHostAddress()).append('\n');
        }
        keptLines.forEach(line -> text.append(line).append('\n'));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (!written) {
            takeBackup();
            written = true;
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".zonegate-new");
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException renameRefused) {
            Files.deleteIfExists(temporary);
            Files.write(file, bytes);
        }
    }

    @Override
    public void restore() throws IOException {
        if (written) {
            putBack(file, backup);
            written = false;
            Logger.info("{} restored", file);
        }
    }

    private void takeBackup() throws IOException {
        try {
            Files.move(file, backup, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException renameRefused) {
            Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void putBack(Path file, Path backup) throws IOException {
        try {
            Files.move(backup, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException renameRefused) {
            Files.write(file, Files.readAllBytes(backup));
            Files.delete(backup);
        }
    }

    private static java.util.Optional<InetSocketAddress> nameserver(String text) {
        int scope = text.indexOf('%');
        try {
            return java.util.Optional.of(new InetSocketAddress(
                    InetAddress.ofLiteral(scope < 0 ? text : text.substring(0, scope)), 53));
        } catch (IllegalArgumentException e) {
            Logger.debug("ignored nameserver line \"{}\" of the system's resolv.conf", text);
            return java.util.Optional.empty();
        }
    }
}
