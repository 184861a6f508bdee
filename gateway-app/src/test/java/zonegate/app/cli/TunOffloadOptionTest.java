package zonegate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --tun-offload} on the commands that create a TUN device: on or off, nothing else. */
class TunOffloadOptionTest {
    @Test
    void aValueOtherThanOnOrOffIsRefusedWithExitTwoBeforeAnythingStarts() {
        for (String command : new String[] {"gateway", "client"}) {
            CliRun run = command.equals("gateway")
                    ? CliRun.of("gateway", "--config", "/nonexistent/gateway.json", "--tun-offload", "yes")
                    : CliRun.of("client", "--tun-offload", "yes");

            assertThat(run.exitCode()).as(command).isEqualTo(ZonegateCommand.EXIT_USAGE);
            assertThat(run.err()).as(command).contains(command + ": --tun-offload must be on or off, not yes");
        }
    }

    @Test
    void theHelpOfBothCommandsListsTheOptionWithItsDefault() {
        assertThat(CliRun.of("gateway", "--help").out()).contains("--tun-offload=on|off").contains("(default: on)");
        assertThat(CliRun.of("client", "--help").out()).contains("--tun-offload=on|off");
    }
}
