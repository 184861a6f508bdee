package zonegate.app.internal.portal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import zonegate.app.internal.controlplane.KeyFile;

/**
 * The token a gateway, client or relay connects to the portal with: one line in a file only its owner may read
 * (the same rule as a WireGuard key file), made by {@code zonegate token}.
 */
public final class TokenFile {
    /** Longest token accepted (ours are 43 characters). */
    public static final int MAX_TOKEN_CHARS = 512;

    private TokenFile() {
    }

    /** The token, or why there is none. */
    public static KeyFile.Read<String> read(Path path) {
        return KeyFile.read(path, TokenFile::parse);
    }

    static String parse(byte[] bytes) {
        String token = new String(bytes, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("the token file is empty: put the output of 'zonegate token' in it");
        }
        if (token.length() > MAX_TOKEN_CHARS || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("the token file must hold one token (printable ASCII, one line, at most "
                    + MAX_TOKEN_CHARS + " characters)");
        }
        return token;
    }
}
