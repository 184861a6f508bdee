package zonegate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zonegate relay}'s refusals at start; none of these opens a socket. */
class RelayCommandTest {

    @Test
    void restSecretComesFromExactlyOneSource(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("secret"), "from-file\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThat(RelayCommand.restSecret(null, null, "from-env")).isEqualTo("from-env".getBytes());
        assertThat(RelayCommand.restSecret(null, file, "")).isEqualTo("from-file".getBytes());
        assertThat(RelayCommand.restSecret("from-option", null, null)).isEqualTo("from-option".getBytes());
        assertThat(RelayCommand.restSecret(null, null, null)).isNull();
        assertThatThrownBy(() -> RelayCommand.restSecret(null, file, "from-env")).hasMessageContaining("once");
        assertThatThrownBy(() -> RelayCommand.restSecret("x", file, null)).hasMessageContaining("once");
    }

    @Test
    void sharedSecretsFileIsRefusedWithExit2(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("secret"), "s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        CliRun run = CliRun.of("relay", "--listen", "127.0.0.1:3478", "--relay-ports", "50000-50009",
                "--auth-secret-file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.err()).contains("can be read or written by its group or by others").doesNotContain("s3cret");
    }

    @Test
    void userQuotaNotBelowThePortCountIsRefusedWithExit2() {
        CliRun run = CliRun.of("relay", "--listen", "127.0.0.1:3478", "--relay-ports", "50000-50009",
                "--user", "alice:pw", "--user-quota", "10");

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.err()).contains("must be below the 10 relay ports");
    }

    @Test
    void malformedAllowPeerIsRefusedWithExit2() {
        CliRun run = CliRun.of("relay", "--listen", "127.0.0.1:3478", "--relay-ports", "50000-50009",
                "--user", "alice:pw", "--allow-peer", "10.0.0.1/8");

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.err()).contains("--allow-peer").contains("host bits");
    }

    @Test
    void noCredentialsNamesTheFileOptionsFirst() {
        CliRun run = CliRun.of("relay", "--listen", "127.0.0.1:3478", "--relay-ports", "50000-50009");

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.err()).contains("--users-file").contains("--auth-secret-file");
    }
}
