package zonegate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckConfigCommandTest {
    @Test
    void validFilePrintsOkWithCountsAndExitsZero() {
        Path example = Examples.gatewayJson();

        CliRun run = CliRun.of("check-config", example.toString());

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_OK);
        assertThat(run.out()).isEqualTo(example + ": OK (2 clients, 4 resources, 5 policies)\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void invalidFilePrintsEveryProblemWithLineAndColumnAndExitsTwo(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("gateway.json"), """
                {
                  "gateway": { "privateKey": "short", "upstreamDns": ["192.0.2.1"] },
                  "clients": [],
                  "policies": [
                    { "client": "carol", "resource": "db" }
                  ],
                  "polices": []
                }
                """);

        CliRun run = CliRun.of("check-config", file.toString());

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(
                file + ":2:30: gateway.privateKey: Key is not the correct length or format: expected 44 base64"
                        + " characters ending in '='\n"
                + file + ":5:17: policies[0].client: unknown client \"carol\"\n"
                + file + ":5:38: policies[0].resource: unknown resource \"db\"\n"
                + file + ":7:3: polices: unknown field \"polices\"; did you mean \"policies\"?\n");
    }

    @Test
    void missingFileExitsTwo(@TempDir Path directory) {
        Path file = directory.resolve("absent.json");

        CliRun run = CliRun.of("check-config", file.toString());

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.err()).isEqualTo(file + ": no such file\n");
    }

    @Test
    void missingFileArgumentIsAUsageError() {
        CliRun run = CliRun.of("check-config");

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.err()).contains("Missing required parameter: 'FILE'");
    }

    @Test
    void helpDescribesTheCommand() {
        CliRun run = CliRun.of("check-config", "--help");

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_OK);
        assertThat(run.out()).contains("Usage: zonegate check-config", "FILE:LINE:COLUMN");
    }
}
