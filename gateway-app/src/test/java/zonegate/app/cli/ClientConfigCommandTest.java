package zonegate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigCommandTest {
    private static final String BOB_PRIVATE = "UCP1CfVGISQntL1bWe8tHbwSML1S0XkfSlaBKg6PdVM=";
    private static final String ALICE_PRIVATE = "KJm48C6xhbCq4YVJwYF0rrWPCnnV4h2jTIcY989hnFA=";

    @Test
    void printsTheWgQuickFileOfTheExampleClient() {
        CliRun run = CliRun.of("client-config", "--config", Examples.gatewayJson().toString(), "--client", "bob");

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_OK);
        assertThat(run.out()).isEqualTo("""
                # wg-quick configuration of zonegate client "bob"
                [Interface]
                # The gateway knows only this client's public key: replace the placeholder with the
                # client's private key (the one whose public key is 1hpdVbF9szC+HZcl0ZSxiWUCk7nX5JHHmrT6v5wQZlU=).
                PrivateKey = <paste the client's private key>
                Address = 100.64.0.3/32, fd00:2021:1111::3/128
                DNS = 100.64.0.1, fd00:2021:1111::1
                MTU = 1280

                [Peer]
                PublicKey = ttvVNcfxf0cH4a47E3ZiIF5tgDQr6rLUoIsBtOB/F2M=
                Endpoint = gateway.example.com:51820
                AllowedIPs = 192.0.2.0/24, 198.18.0.0/15, 100.64.0.1/32, fd00:2021:1111::1/128
                PersistentKeepalive = 25
                """);
    }

    @Test
    void matchingPrivateKeyFileFillsInThePrivateKey(@TempDir Path directory) throws Exception {
        Path key = Examples.writePrivate(directory.resolve("bob.key"), BOB_PRIVATE + "\n");

        CliRun run = CliRun.of("client-config", "--config", Examples.gatewayJson().toString(), "--client", "bob",
                "--private-key-file", key.toString());

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_OK);
        assertThat(run.out()).contains("[Interface]\nPrivateKey = " + BOB_PRIVATE + "\n");
    }

    @Test
    void aPrivateKeyFileOthersCanReadIsRefusedWithoutReadingIt(@TempDir Path directory) throws Exception {
        Path key = Files.writeString(directory.resolve("bob.key"), BOB_PRIVATE + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        CliRun run = CliRun.of("client-config", "--config", Examples.gatewayJson().toString(), "--client", "bob",
                "--private-key-file", key.toString());

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("chmod 600 " + key).doesNotContain(BOB_PRIVATE);
    }

    @Test
    void privateKeyOfAnotherClientIsRefused(@TempDir Path directory) throws Exception {
        Path key = Examples.writePrivate(directory.resolve("alice.key"), ALICE_PRIVATE + "\n");

        CliRun run = CliRun.of("client-config", "--config", Examples.gatewayJson().toString(), "--client", "bob",
                "--private-key-file", key.toString());

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("is not the private key of client \"bob\"").doesNotContain(ALICE_PRIVATE);
    }

    @Test
    void unknownClientExitsTwoNamingTheKnownOnes() {
        Path config = Examples.gatewayJson();

        CliRun run = CliRun.of("client-config", "--config", config.toString(), "--client", "carol");

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.err()).isEqualTo("client-config: no client \"carol\" in " + config + " (clients: alice, bob)\n");
    }

    @Test
    void invalidConfigurationExitsTwoWithItsProblems(@TempDir Path directory) throws Exception {
        Path config = Files.writeString(directory.resolve("gateway.json"), "{\n  \"gateway\": 1\n}\n");

        CliRun run = CliRun.of("client-config", "--config", config.toString(), "--client", "bob");

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.err()).isEqualTo(config + ":2:14: gateway: expected an object, found a number\n");
    }

    @Test
    void missingClientOptionIsAUsageError() {
        CliRun run = CliRun.of("client-config", "--config", Examples.gatewayJson().toString());

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.err()).contains("Missing required option: '--client=NAME'");
    }

    @Test
    void helpDescribesTheOptions() {
        CliRun run = CliRun.of("client-config", "--help");

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_OK);
        assertThat(run.out()).contains("--config=FILE", "--client=NAME", "--private-key-file=FILE");
    }
}
