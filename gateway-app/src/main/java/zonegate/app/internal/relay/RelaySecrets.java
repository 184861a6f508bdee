package zonegate.app.internal.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import zonegate.app.internal.controlplane.KeyFile;
import zonegate.turn.server.RelayConfig;

/**
 * Reads the relay's secrets from files so they stay out of the process list ({@code /proc/PID/cmdline}).
 *
 * <p>A secrets file that its group or others may read is refused, as {@code wg} complains about private
 * key files. Secret bytes never become Strings here: the REST secret is handed over as bytes, a static
 * user's password only as its long-term key, and every buffer read is zeroed before returning (the
 * JDK's key objects keep their own copies; a String the caller passed in cannot be wiped).
 */
public final class RelaySecrets {
    /** The environment variable that may hold the TURN REST shared secret. */
    public static final String AUTH_SECRET_VARIABLE = "ZONEGATE_RELAY_AUTH_SECRET";

    /** A secrets file larger than this is refused (a users file of ~10,000 lines fits). */
    static final long MAX_FILE_BYTES = 1 << 20;

    private RelaySecrets() {
    }

    /**
     * The REST secret in {@code file}: its bytes without trailing CR/LF. The caller owns (and should zero)
     * the returned array.
     *
     * @throws IllegalArgumentException when the file is unreadable, group/other-readable, empty or too large
     */
    public static byte[] readAuthSecret(Path file) {
        byte[] bytes = read(file, "--auth-secret-file");
        try {
            int end = bytes.length;
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            if (end == 0) {
                throw new IllegalArgumentException("--auth-secret-file " + file + " is empty");
            }
            return Arrays.copyOf(bytes, end);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Adds the users of {@code file} to {@code keys} as username to long-term key in {@code realm}. One
     * {@code USER:PASSWORD} per line; blank lines and lines starting with {@code #} are ignored; the
     * password is everything after the first colon (a trailing CR is dropped).
     *
     * @throws IllegalArgumentException naming the file and line (never its text) of a malformed line or a
     *     user already present, or when the file is unreadable, group/other-readable or too large
     */
    public static void readUsers(Path file, String realm, Map<String, byte[]> keys) {
        byte[] bytes = read(file, "--users-file");
        try {
            int line = 0;
            for (int start = 0; start < bytes.length; ) {
                int end = indexOf(bytes, (byte) '\n', start);
                line++;
                int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
                if (stop > start && bytes[start] != '#') {
                    addUser(bytes, start, stop, realm, keys, file + ":" + line);
                }
                start = end + 1;
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Adds user {@code USER:PASSWORD} (from the command line) to {@code keys}. */
    public static void addUser(String userAndPassword, String realm, Map<String, byte[]> keys) {
        byte[] bytes = userAndPassword.getBytes(StandardCharsets.UTF_8);
        try {
            addUser(bytes, 0, bytes.length, realm, keys, "--user");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void addUser(byte[] bytes, int start, int end, String realm, Map<String, byte[]> keys,
            String where) {
        int colon = indexOf(bytes, (byte) ':', start);
        if (colon >= end || colon == start) {
            throw new IllegalArgumentException(where + ": wants USER:PASSWORD");
        }
        String user = new String(bytes, start, colon - start, StandardCharsets.UTF_8);
        byte[] password = Arrays.copyOfRange(bytes, colon + 1, end);
        try {
            if (keys.putIfAbsent(user, RelayConfig.longTermKey(user, realm, password)) != null) {
                throw new IllegalArgumentException(where + ": user '" + user + "' is given twice");
            }
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private static byte[] read(Path file, String option) {
        try {
            refuseIfShared(file, option);
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(option + " " + file + " is larger than " + MAX_FILE_BYTES
                        + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    private static void refuseIfShared(Path file, String option) {
        String exposure = KeyFile.exposure(file);
        if (exposure != null) {
            throw new IllegalArgumentException(option + " " + exposure);
        }
    }

    private static int indexOf(byte[] bytes, byte value, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return bytes.length;
    }
}
