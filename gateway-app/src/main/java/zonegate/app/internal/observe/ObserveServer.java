package zonegate.app.internal.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.tinylog.Logger;

/**
 * The observability listener ({@code --metrics ADDR:PORT}): the JDK's HTTP server on one address, a
 * virtual thread per request, answering with {@link ObserveEndpoints}. Plain HTTP with no authentication:
 * bind it to loopback or a management network.
 *
 * <pre>{@code
 * try (ObserveServer server = ObserveServer.start(new InetSocketAddress("127.0.0.1", 9464), endpoints)) {
 *     ... // curl http://127.0.0.1:9464/metrics
 * }
 * }</pre>
 */
public final class ObserveServer implements AutoCloseable {
    /** Pending connections the kernel holds before the server accepts them. */
    private static final int BACKLOG = 16;

    private final HttpServer server;
    private final ExecutorService executor;

    private ObserveServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code address} (port 0 picks one, see {@link #address()}) and starts serving.
     *
     * @throws IOException when the address cannot be bound (EADDRINUSE, not an address of this host)
     */
    public static ObserveServer start(InetSocketAddress address, ObserveEndpoints endpoints) throws IOException {
        HttpServer server = HttpServer.create(address, BACKLOG);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("zonegate-http-", 0)
                .factory());
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, endpoints));
        server.start();
        Logger.info("metrics and health on http://{}:{} (/metrics, /healthz, /readyz)",
                server.getAddress().getAddress().getHostAddress(), server.getAddress().getPort());
        return new ObserveServer(server, executor);
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops accepting and closes open exchanges at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void answer(HttpExchange exchange, ObserveEndpoints endpoints) throws IOException {
        try (exchange) {
            ObserveEndpoints.Response response = endpoints.respond(exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), System.nanoTime());
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
