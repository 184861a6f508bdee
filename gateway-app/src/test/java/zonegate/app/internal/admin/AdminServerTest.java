package zonegate.app.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zonegate.app.internal.status.StatusJson;
import zonegate.app.internal.status.StatusReport;
import zonegate.app.internal.status.StatusRequest;
import zonegate.app.internal.status.StatusSnapshot;

/** The admin socket's file, protocol and bounds, on a real socket in a temporary directory. */
class AdminServerTest {
    @TempDir
    Path dir;

    private AdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static final Predicate<Object> ANSWERING = command -> {
        if (command instanceof StatusRequest r) {
            r.answer(() -> new StatusSnapshot("gateway", new StatusReport.Self("static", null, "PUB",
                    List.of("0.0.0.0:51820"), List.of()), 0, List.of(), List.of(), List.of(),
                    List.of(new StatusReport.DropTotal("gateway", "filtered", 2))));
        }
        return true;
    };

    private AdminServer serve(Path path, Predicate<java.nio.file.attribute.UserPrincipal> peers) throws IOException {
        server = AdminServer.start(AdminSocketFile.bind(path), peers);
        return server;
    }

    @Test
    void theSocketIsMode0600AnswersStatusAndIsRemovedOnClose() throws Exception {
        Path path = dir.resolve("gateway.sock");
        serve(path, AdminServer.rootOrOwnUser()).attach(ANSWERING,
                () -> List.of(new StatusReport.DropTotal("loop", "send_error", 1)),
                r -> r.withSelf(r.self().withInterfaceName("zg0")));

        String answer = StatusClient.fetch(path, 5_000);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        assertThat(StatusJson.errorOf(answer)).isNull();
        assertThat(answer).contains("\"name\":\"zg0\"", "\"reason\":\"filtered\"", "\"reason\":\"send_error\"");
        assertThat(Files.list(dir)).containsExactly(path);
        server.close();
        assertThat(Files.exists(path)).isFalse();
    }

    @Test
    void aPeerWhoseUserIsNotAllowedGetsARefusal() throws Exception {
        Path path = dir.resolve("gateway.sock");
        serve(path, user -> false).attach(ANSWERING, List::of, r -> r);

        String answer = StatusClient.fetch(path, 5_000);

        assertThat(StatusJson.errorOf(answer)).startsWith("refused");
    }

    @Test
    void beforeTheRuntimeIsAttachedTheAnswerSaysSo() throws Exception {
        Path path = dir.resolve("gateway.sock");
        serve(path, AdminServer.rootOrOwnUser());

        assertThat(StatusJson.errorOf(StatusClient.fetch(path, 5_000))).startsWith("not running yet");
    }

    @Test
    void anUnknownOrOverlongRequestIsAnsweredWithAnError() throws Exception {
        Path path = dir.resolve("gateway.sock");
        serve(path, AdminServer.rootOrOwnUser()).attach(ANSWERING, List::of, r -> r);

        assertThat(StatusJson.errorOf(exchange(path, "show keys\n"))).startsWith("unknown request");
        assertThat(StatusJson.errorOf(exchange(path, "x".repeat(AdminServer.MAX_REQUEST_BYTES + 1))))
                .startsWith("request longer than");
    }

    @Test
    void aStateThreadThatDoesNotAnswerInTimeGivesAnErrorNotAHang() throws Exception {
        Path path = dir.resolve("gateway.sock");
        serve(path, AdminServer.rootOrOwnUser()).attach(command -> true, List::of, r -> r);

        assertThat(StatusJson.errorOf(StatusClient.fetch(path, 5_000))).contains("did not answer within");
    }

    @Test
    void aSilentConnectionIsClosedAfterTheConnectionTimeout() throws Exception {
        Path path = dir.resolve("gateway.sock");
        serve(path, AdminServer.rootOrOwnUser()).attach(ANSWERING, List::of, r -> r);
        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            long start = System.nanoTime();

            int n = silent.read(ByteBuffer.allocate(64));

            assertThat(n).isEqualTo(-1);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(AdminServer.CONNECTION_TIMEOUT_MS - 100,
                    AdminServer.CONNECTION_TIMEOUT_MS + 2_000);
        }
    }

    @Test
    void aStaleSocketOfACrashedRunIsReplaced() throws Exception {
        Path path = dir.resolve("gateway.sock");
        ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        crashed.bind(UnixDomainSocketAddress.of(path));
        crashed.close();
        assertThat(Files.exists(path)).isTrue();

        serve(path, AdminServer.rootOrOwnUser()).attach(ANSWERING, List::of, r -> r);

        assertThat(StatusJson.errorOf(StatusClient.fetch(path, 5_000))).isNull();
    }

    @Test
    void aSocketAnotherProcessServesIsNotTakenOver() throws Exception {
        Path path = dir.resolve("gateway.sock");
        serve(path, AdminServer.rootOrOwnUser());

        assertThatThrownBy(() -> AdminSocketFile.bind(path)).isInstanceOf(AdminSocketFile.RefusedException.class)
                .hasMessageContaining("another process serves");
    }

    @Test
    void aFileThatIsNotASocketIsNotReplaced() throws Exception {
        Path path = Files.writeString(dir.resolve("gateway.sock"), "keep me");

        assertThatThrownBy(() -> AdminSocketFile.bind(path)).isInstanceOf(AdminSocketFile.RefusedException.class)
                .hasMessageContaining("not a socket");
        assertThat(Files.readString(path)).isEqualTo("keep me");
    }

    @Test
    void aDirectoryOthersMayWriteIsRefused() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> AdminSocketFile.bind(shared.resolve("gateway.sock")))
                .isInstanceOf(AdminSocketFile.RefusedException.class).hasMessageContaining("writable by its group or others");
    }

    @Test
    void aMissingDirectoryIsMadeWithMode0750() throws Exception {
        Path run = dir.resolve("zonegate");

        try (AdminSocketFile file = AdminSocketFile.bind(run.resolve("relay.sock"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run))).isEqualTo("rwxr-x---");
            assertThat(Files.exists(file.path())).isTrue();
        }
    }

    @Test
    void theClientSaysWhatIsWrongWhenNoGatewayListens() throws Exception {
        Path missing = dir.resolve("gateway.sock");
        assertThatThrownBy(() -> StatusClient.fetch(missing, 1_000)).isInstanceOf(StatusClient.Failure.class)
                .hasMessageContaining("no admin socket at " + missing).hasMessageContaining("is the gateway running");

        ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        crashed.bind(UnixDomainSocketAddress.of(missing));
        crashed.close();
        assertThatThrownBy(() -> StatusClient.fetch(missing, 1_000)).isInstanceOf(StatusClient.Failure.class)
                .hasMessageContaining("nothing listens on");
    }

    private static String exchange(Path path, String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (c.read(in) >= 0) {
                if (!in.hasRemaining()) {
                    break;
                }
            }
            return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
        }
    }
}
