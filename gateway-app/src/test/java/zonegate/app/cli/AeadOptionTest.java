package zonegate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --aead} on the commands that run WireGuard: values other than auto, jce and native are refused. */
class AeadOptionTest {
    @Test
    void anUnknownAeadIsRefusedWithExitTwoBeforeAnythingStarts() {
        for (String command : new String[] {"gateway", "client"}) {
            CliRun run = command.equals("gateway")
                    ? CliRun.of("gateway", "--config", "/nonexistent/gateway.json", "--aead", "openssl")
                    : CliRun.of("client", "--aead", "openssl");

            assertThat(run.exitCode()).as(command).isEqualTo(ZonegateCommand.EXIT_USAGE);
            assertThat(run.err()).as(command).contains(command + ": --aead must be auto, jce or native, not openssl");
        }
    }

    @Test
    void theHelpOfBothCommandsListsTheChoices() {
        assertThat(CliRun.of("gateway", "--help").out()).contains("--aead=auto|jce|native");
        assertThat(CliRun.of("client", "--help").out()).contains("--aead=auto|jce|native");
    }
}
