package zonegate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zonegate.app.internal.admin.AdminServer;
import zonegate.app.internal.admin.AdminSocketFile;
import zonegate.app.internal.status.StatusReport;
import zonegate.app.internal.status.StatusRequest;
import zonegate.app.internal.status.StatusSnapshot;

/** {@code zonegate status} against a real admin socket, and {@code --admin-socket} refusals. */
class StatusCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheTextViewOrTheJson() throws Exception {
        Path socket = dir.resolve("gateway.sock");
        try (AdminServer server = AdminServer.start(AdminSocketFile.bind(socket))) {
            server.attach(command -> {
                if (command instanceof StatusRequest r) {
                    r.answer(() -> new StatusSnapshot("gateway", new StatusReport.Self("static", null,
                            "PUBLICKEY", List.of("0.0.0.0:51820"), List.of("100.64.0.1/11")), 0, List.of(), List.of(),
                            List.of(), List.of()));
                }
                return true;
            }, List::of, r -> r.withSelf(r.self().withInterfaceName("zg0")));

            CliRun text = CliRun.of("status", "--socket", socket.toString());
            CliRun json = CliRun.of("status", "--socket", socket.toString(), "--json");

            assertThat(text.exitCode()).isZero();
            assertThat(text.out()).startsWith("interface: zg0\n  mode: static\n  public key: PUBLICKEY\n")
                    .contains("drops: none");
            assertThat(json.exitCode()).isZero();
            assertThat(json.out()).startsWith("{\"role\":\"gateway\",\"mode\":\"static\"");
        }
    }

    @Test
    void noSocketIsAFailureThatNamesThePath() {
        Path socket = dir.resolve("gateway.sock");

        CliRun run = CliRun.of("status", "--socket", socket.toString());

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_FAILURE);
        assertThat(run.err()).contains("status: no admin socket at " + socket, "is the gateway running");
    }

    @Test
    void anAdminSocketThatCannotBeMadeStopsTheGatewayBeforeItStarts() {
        Path socket = dir.resolve("missing").resolve("deeper").resolve("gateway.sock");

        CliRun run = CliRun.of("gateway", "--config", dir.resolve("gateway.json").toString(), "--admin-socket",
                socket.toString());

        assertThat(run.exitCode()).isEqualTo(ZonegateCommand.EXIT_USAGE);
        assertThat(run.err()).contains("gateway: --admin-socket " + socket, "its parent does not exist");
    }
}
