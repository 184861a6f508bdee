package zonegate.app.internal.controlplane;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/** A valid configuration text with known line numbers, the keys in it, and a fixed load context. */
final class TestConfigs {
    static final String GATEWAY_PRIVATE = "mP1CUEIa+sQtgzFLKF1Mjx/vYiqsURhESq+Or2LHi00=";
    static final String GATEWAY_PUBLIC = "ttvVNcfxf0cH4a47E3ZiIF5tgDQr6rLUoIsBtOB/F2M=";
    static final String ALICE_PRIVATE = "KJm48C6xhbCq4YVJwYF0rrWPCnnV4h2jTIcY989hnFA=";
    static final String ALICE_PUBLIC = "u+gT43/iu6n5mXCGY8QoHH7kQbA8ih6sf3a2FlNAXkQ=";
    static final String BOB_PUBLIC = "1hpdVbF9szC+HZcl0ZSxiWUCk7nX5JHHmrT6v5wQZlU=";
    static final String BOB_PSK = "R5ZsOx5uQzy/AWHMe3Yy94eAXRYSNBHb/XZRDIcsMMM=";
    /** 2026-01-01T00:00:00Z. */
    static final Instant NOW = Instant.ofEpochSecond(1_767_225_600L);

    /** Line numbers matter: the error tests point into this text. */
    static final String VALID = """
            {
              "gateway": {
                "privateKey": "mP1CUEIa+sQtgzFLKF1Mjx/vYiqsURhESq+Or2LHi00=",
                "upstreamDns": ["192.0.2.53"],
                "publicEndpoint": "vpn.example.com:51820"
              },
              "clients": [
                {
                  "name": "alice",
                  "publicKey": "u+gT43/iu6n5mXCGY8QoHH7kQbA8ih6sf3a2FlNAXkQ=",
                  "ipv4": "100.64.0.2",
                  "ipv6": "fd00:2021:1111::2"
                },
                {
                  "name": "bob",
                  "publicKey": "1hpdVbF9szC+HZcl0ZSxiWUCk7nX5JHHmrT6v5wQZlU=",
                  "ipv4": "100.64.0.3",
                  "ipv6": "fd00:2021:1111::3",
                  "presharedKey": "R5ZsOx5uQzy/AWHMe3Yy94eAXRYSNBHb/XZRDIcsMMM="
                }
              ],
              "resources": [
                { "id": "web", "type": "cidr", "address": "192.0.2.0/24",
                  "filters": [{ "protocol": "tcp", "ports": "443" }, { "protocol": "icmp" }] },
                { "id": "corp", "type": "dns", "address": "*.corp.example.com" },
                { "id": "internet", "type": "internet" }
              ],
              "policies": [
                { "client": "alice", "resource": "web" },
                { "client": "alice", "resource": "corp", "expiresAt": "2030-01-01T00:00:00Z" },
                { "client": "bob", "resource": "internet", "expiresAt": 1893456000 }
              ]
            }
            """;

    private TestConfigs() {}

    /** Writes a key file with the given mode, e.g. {@code "rw-------"}. */
    static void writeKeyFile(Path path, String text, String mode) throws IOException {
        Files.writeString(path, text);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    static LoadContext context(Path baseDirectory) {
        return new LoadContext(baseDirectory, InstantSource.fixed(NOW), () -> List.of(InetAddress.ofLiteral("192.0.2.1")));
    }

    static LoadResult parse(String text) {
        return PolicyFile.parse(text, "t.json", context(Path.of(".")));
    }

    /** {@link #VALID} with the one occurrence of {@code from} replaced. */
    static String validWith(String from, String to) {
        int at = VALID.indexOf(from);
        if (at < 0 || VALID.indexOf(from, at + 1) >= 0) {
            throw new IllegalArgumentException("not exactly one \"" + from + "\" in the valid config");
        }
        return VALID.substring(0, at) + to + VALID.substring(at + from.length());
    }
}
