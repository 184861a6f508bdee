package zonegate.app.internal.controlplane;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a secret from a file the way {@code wg} expects it to be kept: a file that its group or others
 * may read is refused (a secret readable by every local account is not a secret), as is one much larger
 * than a key. The contents stay in a byte array the caller parses and that is erased right after, so the
 * secret never becomes a {@code String}. Messages never contain the secret.
 */
public final class KeyFile {
    /** A key file holds 44 base64 characters and a newline; anything much longer is not a key. */
    public static final int MAX_KEY_FILE_BYTES = 1024;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    /** What reading gave: the parsed key, or why there is none. */
    public sealed interface Read<K> {
        record Key<K>(K key) implements Read<K> {
        }

        record Refused<K>(String reason) implements Read<K> {
        }
    }

    private KeyFile() {}

    /**
     * Reads {@code path} and parses its bytes with {@code parse} (which throws IllegalArgumentException
     * naming what is wrong), erasing the bytes afterwards.
     */
    public static <K> Read<K> read(Path path, Function<byte[], K> parse) {
        String exposure = exposure(path);
        if (exposure != null) {
            return new Read.Refused<>("key file " + exposure);
        }
        byte[] bytes = null;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
            if (bytes.length > MAX_KEY_FILE_BYTES) {
                return new Read.Refused<>("key file " + path + " is larger than " + MAX_KEY_FILE_BYTES
                        + " bytes; not a key");
            }
            return new Read.Key<>(parse.apply(bytes));
        } catch (IllegalArgumentException e) {
            return new Read.Refused<>(e.getMessage());
        } catch (NoSuchFileException e) {
            return new Read.Refused<>("key file " + path + " does not exist");
        } catch (AccessDeniedException e) {
            return new Read.Refused<>("key file " + path + ": permission denied");
        } catch (IOException e) {
            return new Read.Refused<>("cannot read key file " + path + ": " + e.getClass().getSimpleName());
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /**
     * Why the file's mode exposes it ("PATH can be read ... chmod 600 PATH"), or null when only its owner
     * may read and write it (or the file system has no POSIX modes, or the file is missing: reading then
     * says what is wrong).
     */
    public static String exposure(Path path) {
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
        for (PosixFilePermission p : GROUP_OR_OTHERS) {
            if (mode.contains(p)) {
                return path + " can be read or written by its group or by others (mode "
                        + octal(mode) + "); restrict it with: chmod 600 " + path;
            }
        }
        return null;
    }

    private static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("%03o", bits);
    }
}
