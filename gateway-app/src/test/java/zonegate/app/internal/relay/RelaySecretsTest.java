package zonegate.app.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zonegate.stun.StunCredentials;
import zonegate.turn.server.Cidr;
import zonegate.turn.server.PeerPolicy;

/** Secrets files (permissions, formats) and the host addresses the runtime refuses as peers. */
class RelaySecretsTest {
    @TempDir
    Path directory;

    private Path secretFile(String name, String text, String mode) throws IOException {
        Path file = Files.writeString(directory.resolve(name), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void authSecretFileLosesItsTrailingNewline() throws IOException {
        Path file = secretFile("secret", "s3cret\r\n", "rw-------");

        assertThat(RelaySecrets.readAuthSecret(file)).isEqualTo("s3cret".getBytes());
    }

    @Test
    void secretsFilesReadableByGroupOrOthersAreRefused() throws IOException {
        Path group = secretFile("group", "s3cret\n", "rw-r-----");
        Path others = secretFile("others", "alice:pw\n", "rw----r--");

        assertThatThrownBy(() -> RelaySecrets.readAuthSecret(group))
                .hasMessageContaining("can be read or written by its group or by others").hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> RelaySecrets.readUsers(others, "r", new HashMap<>()))
                .hasMessageContaining("--users-file").hasMessageContaining("can be read or written by its group or by others");
    }

    @Test
    void emptyAuthSecretFileIsRefused() throws IOException {
        Path file = secretFile("empty", "\n", "rw-------");

        assertThatThrownBy(() -> RelaySecrets.readAuthSecret(file)).hasMessageContaining("is empty");
    }

    @Test
    void usersFileYieldsTheLongTermKeysAndSkipsCommentsAndBlankLines() throws IOException {
        Path file = secretFile("users", "# relay users\n\nalice:wonder:land\r\nbob:builder\n", "rw-------");
        Map<String, byte[]> keys = new HashMap<>();

        RelaySecrets.readUsers(file, "zonegate", keys);

        assertThat(keys).containsOnlyKeys("alice", "bob");
        assertThat(keys.get("alice")).isEqualTo(StunCredentials.longTermKey("alice", "zonegate", "wonder:land"));
        assertThat(keys.get("bob")).isEqualTo(StunCredentials.longTermKey("bob", "zonegate", "builder"));
    }

    @Test
    void malformedOrRepeatedUsersNameTheLineButNotItsText() throws IOException {
        Path malformed = secretFile("malformed", "alice:pw\nno-colon-secret\n", "rw-------");
        Path repeated = secretFile("repeated", "alice:pw\n", "rw-------");
        Map<String, byte[]> keys = new HashMap<>();
        RelaySecrets.addUser("alice:other", "r", keys);

        assertThatThrownBy(() -> RelaySecrets.readUsers(malformed, "r", new HashMap<>()))
                .hasMessageContaining(malformed + ":2").hasMessageNotContaining("no-colon-secret");
        assertThatThrownBy(() -> RelaySecrets.readUsers(repeated, "r", keys))
                .hasMessageContaining(repeated + ":1").hasMessageContaining("given twice");
    }

    @Test
    void theRuntimeRefusesEveryAddressOfTheHostAndTheListenAddress() throws IOException {
        InetAddress listen = InetAddress.getByName("198.51.100.80");
        PeerPolicy policy = RelayRuntime.refusingHost(PeerPolicy.permissive(), listen);

        assertThat(policy.allows(listen)).isFalse();
        List<InetAddress> own = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream()).toList();
        assertThat(own).isNotEmpty();
        assertThat(own).allSatisfy(address -> assertThat(policy.allows(address)).as("%s", address).isFalse());
        assertThat(policy.allows(InetAddress.getByName("198.51.100.81"))).isTrue();
        assertThat(policy.allowing(List.of(Cidr.host(listen))).allows(listen)).isTrue();
    }
}
