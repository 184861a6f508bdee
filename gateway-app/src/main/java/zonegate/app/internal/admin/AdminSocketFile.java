package zonegate.app.internal.admin;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The admin socket's file: a Unix domain stream socket with mode 0600 in a directory that only root or this
 * process's user may write to.
 *
 * <ul>
 *   <li>The directory: made (mode 0750) when missing and its parent exists; refused when it is not a directory,
 *       is owned by another user than root or ours, or is writable by group or others (anyone who may write
 *       it could put a socket of their own in our place).</li>
 *   <li>A file already at the path: a socket nobody listens on (a crashed run's) is replaced; a socket that
 *       answers (another running zonegate) or anything that is not a socket is refused.</li>
 *   <li>Mode 0600 from the start: the socket is bound in a fresh 0700 directory beside the path, made 0600,
 *       then renamed into place (an atomic {@code rename(2)}, which also replaces a stale socket), so it is
 *       never reachable with the umask's mode.</li>
 *   <li>{@link #close()} removes the file, unless another process has replaced it since.</li>
 * </ul>
 */
public final class AdminSocketFile implements AutoCloseable {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final ServerSocketChannel channel;
    private final Object fileKey;

    private AdminSocketFile(Path path, ServerSocketChannel channel, Object fileKey) {
        this.path = path;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /** A refusal: what is wrong with the path, for the operator. */
    public static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }

    /**
     * Binds the socket at {@code path} (see the class comment).
     *
     * @throws RefusedException when the directory or an existing file is unsafe, or another process serves the path
     * @throws IOException when the directory cannot be made or the socket bound
     */
    public static AdminSocketFile bind(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path directory = absolute.getParent();
        checkDirectory(directory);
        checkExisting(absolute);
        Path staging = Files.createTempDirectory(directory, ".zonegate-admin-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staged = staging.resolve("s");
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(staged), 8);
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
            Files.move(staged, absolute, StandardCopyOption.ATOMIC_MOVE);
            Object key = Files.readAttributes(absolute, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            return new AdminSocketFile(absolute, channel, key);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(staged);
            throw e;
        } finally {
            Files.deleteIfExists(staging);
        }
    }

    /** The socket's path (absolute). */
    public Path path() {
        return path;
    }

    /** The listening channel (blocking). */
    public ServerSocketChannel channel() {
        return channel;
    }

    /** Closes the channel and removes the file if it is still ours. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a listening socket does not fail in a way we could act on
        }
        try {
            Object now = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            if (fileKey != null && fileKey.equals(now)) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException gone) {
            // removed already
        } catch (IOException ignored) {
            // left for the next start, which replaces a stale socket
        }
    }

    /** The uid this process runs as (the owner of {@code /proc/self}). */
    static int ownUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    private static void checkDirectory(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile: checked below like any other
            } catch (NoSuchFileException e) {
                throw new IOException("cannot make " + directory + ": its parent does not exist", e);
            }
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new RefusedException(directory + " is not a directory");
        }
        int owner = (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != 0 && owner != ownUid()) {
            throw new RefusedException(directory + " belongs to uid " + owner + ", neither root nor this process's "
                    + "user: another user could replace the socket");
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
        if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new RefusedException(directory + " is writable by its group or others (mode "
                    + PosixFilePermissions.toString(mode) + "): another user could replace the socket; "
                    + "use a directory like /run/zonegate (mode 0750)");
        }
    }

    private static void checkExisting(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new RefusedException(path + " exists and is not a socket: not replaced");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new RefusedException("another process serves " + path + " (another zonegate running?): "
                    + "give this one its own --admin-socket PATH");
        } catch (ConnectException stale) {
            // nobody listens: a crashed run's file, replaced by the rename
        } catch (SocketException e) {
            if (!String.valueOf(e.getMessage()).contains("Connection refused")) {
                throw e;
            }
        }
    }
}
