package zonegate.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.tinylog.Logger;
import picocli.CommandLine.Option;
import zonegate.app.internal.admin.AdminServer;
import zonegate.app.internal.admin.AdminSocketFile;
import zonegate.app.internal.status.StatusReport;
import zonegate.shell.loop.EventLoop;

/** {@code --admin-socket PATH|none}, shared by the commands that run a loop (a picocli mixin). */
final class AdminSocketOption {
    /** Where the admin sockets live by default (the systemd units' {@code RuntimeDirectory=zonegate}). */
    static final String DEFAULT_DIRECTORY = "/run/zonegate";

    @Option(names = "--admin-socket", paramLabel = "PATH",
            description = {"The Unix domain socket that zonegate status reads (mode 0600, root and this user only;",
                    "default: " + DEFAULT_DIRECTORY + "/gateway.sock or relay.sock; 'none' turns it off)."})
    String adminSocket;

    /** The admin socket of a running command: a no-op when off. */
    static final class Admin implements AutoCloseable {
        private final AdminServer server;

        private Admin(AdminServer server) {
            this.server = server;
        }

        /** The runtime is up; {@code complete} adds what the command knows (device name, listen sockets). */
        void attach(EventLoop loop, UnaryOperator<StatusReport> complete) {
            if (server != null) {
                server.attach(loop, complete);
            }
        }

        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * Binds the socket ({@code defaultName}.sock in {@value #DEFAULT_DIRECTORY} unless given). A default path
     * that cannot be made is a WARN and no socket (the command still runs); a given one is an error: null after
     * a message on {@code err}.
     */
    Admin open(String command, String defaultName, PrintWriter err) {
        if ("none".equals(adminSocket)) {
            return new Admin(null);
        }
        boolean given = adminSocket != null;
        Path path = Path.of(given ? adminSocket : DEFAULT_DIRECTORY + "/" + defaultName + ".sock");
        try {
            return new Admin(AdminServer.start(AdminSocketFile.bind(path)));
        } catch (IOException | RuntimeException e) {
            if (given) {
                err.println(command + ": --admin-socket " + path + ": " + e.getMessage());
                err.flush();
                return null;
            }
            Logger.warn("no admin socket at {} ({}): zonegate status will not reach this {}; give "
                    + "--admin-socket PATH (or none)", path, e.getMessage(), command);
            return new Admin(null);
        }
    }
}
