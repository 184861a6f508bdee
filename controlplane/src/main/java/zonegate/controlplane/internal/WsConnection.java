package zonegate.controlplane.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One RFC 6455 client connection over a blocking {@link Socket} or {@link SSLSocket}: {@link #open()}
 * (TCP, TLS, upgrade), then {@link #read} on a thread of its own, {@link #sendText} and {@link #close}
 * from another; {@link #abort()} from any.
 *
 * <p>Writes are serialised (texts and closes from the caller, pongs and close answers from the reader).
 * A write that takes longer than the connect timeout, and a close handshake that takes longer than the
 * close grace, close the socket; one virtual thread per connection keeps those two deadlines. After each
 * text the reader waits for {@link #request()} before reading on, so the caller holds at most one text.
 */
public final class WsConnection {
    /** Receives what the reader reads, on the reader's thread. */
    public interface Listener {
        /** A whole text; the reader reads nothing more until {@link #request()}. */
        void onText(String text);

        /** A text over the bound: the reader has sent close 1009 and reads nothing more. */
        void onOversized();

        /** The server's close frame (answered already). */
        void onClosed(int code, String reason);

        /** The connection broke, or the server broke the protocol (answered with a close already). */
        void onFailed(String reason);
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    private final URI uri;
    private final String token;
    private final SSLContext tls;
    private final long connectTimeoutNs;
    private final long closeGraceNs;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final WsDeadlines deadlines = new WsDeadlines(this::abort);
    private final Semaphore credit = new Semaphore(0);
    private final WsMessages messages;

    private volatile Socket socket;
    private volatile boolean aborted;
    private volatile boolean closing;
    private DataInputStream in;
    private final byte[] header = new byte[WsFrames.MAX_HEADER_BYTES];
    private OutputStream out;
    // Guarded by writeLock.
    private boolean closeSent;

    /**
     * An unopened connection to {@code uri} ({@code ws://} or {@code wss://}, then {@code tls} is used).
     *
     * @param maxTextChars the bound of a text message in UTF-16 units
     */
    public WsConnection(URI uri, String token, SSLContext tls, Duration connectTimeout, Duration closeGrace,
            int maxTextChars) {
        this.uri = uri;
        this.token = token;
        this.tls = tls;
        this.connectTimeoutNs = connectTimeout.toNanos();
        this.closeGraceNs = closeGrace.toNanos();
        this.messages = new WsMessages(maxTextChars);
    }

    /** Connects, handshakes and upgrades within the connect timeout; blocking. */
    public void open() throws IOException {
        try {
            upgrade();
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
        deadlines.start("portal-socket-deadlines");
    }

    private void upgrade() throws IOException {
        long deadlineNs = System.nanoTime() + connectTimeoutNs;
        String host = uri.getHost();
        if (host == null) {
            throw new IOException("no host in " + uri);
        }
        host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() < 0 ? WsHandshake.defaultPort(uri) : uri.getPort();
        Socket plain = new Socket();
        adopt(plain);
        plain.setTcpNoDelay(true);
        plain.connect(new InetSocketAddress(host, port), millisLeft(deadlineNs));
        Socket s = plain;
        if ("wss".equalsIgnoreCase(uri.getScheme())) {
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!ipLiteral(host)) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            ssl.setSSLParameters(parameters);
            ssl.setSoTimeout(millisLeft(deadlineNs));
            ssl.startHandshake();
            s = ssl;
        }
        in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 8192));
        out = s.getOutputStream();
        String key = WsHandshake.key(RANDOM);
        out.write(WsHandshake.request(uri, key, token));
        out.flush();
        String refusal = WsHandshake.refusal(readHead(s, deadlineNs), key);
        if (refusal != null) {
            throw new IOException(refusal);
        }
        s.setSoTimeout(0);
    }

    /** Gives the reader one more text. */
    public void request() {
        credit.release();
    }

    /** Sends {@code text} as one frame; blocking, at most the connect timeout. */
    public void sendText(String text) throws IOException {
        if (!write(WsFrames.TEXT, text.getBytes(StandardCharsets.UTF_8))) {
            throw new IOException("the connection is closing");
        }
    }

    /**
     * Sends a close frame ({@code reason} cut to fit) unless one was sent, then closes the socket when the
     * server answers, or after the close grace. Returns once the frame is written.
     */
    public void close(int code, String reason) {
        closing = true;
        credit.release();
        if (out == null) {
            abort();
            return;
        }
        try {
            write(WsFrames.CLOSE, WsFrames.closePayload(code, reason));
        } catch (IOException e) {
            abort();
            return;
        }
        deadlines.closeBy(System.nanoTime() + closeGraceNs);
    }

    /** Closes the socket at once (unblocking the reader and a blocked open or write). */
    public void abort() {
        aborted = true;
        closing = true;
        credit.release();
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closed already
            }
        }
        deadlines.stop();
    }

    /** Reads until the connection ends, reporting to {@code listener}; on a thread of its own, after {@link #open()}. */
    public void read(Listener listener) {
        try {
            while (true) {
                WsFrames.Header header = readHeader();
                WsMessages.Result admitted = messages.admit(header);
                WsMessages.Result result = admitted != null ? admitted : messages.onFrame(header, payload(header));
                switch (result) {
                    case WsMessages.Text t -> {
                        if (!closing) {
                            listener.onText(t.text());
                            credit.acquireUninterruptibly();
                        }
                    }
                    case WsMessages.Ping p -> write(WsFrames.PONG, p.payload());
                    case WsMessages.Nothing n -> {
                    }
                    case WsMessages.Close c -> {
                        write(WsFrames.CLOSE, WsFrames.sendable(c.code()) ? WsFrames.closePayload(c.code(), "")
                                : new byte[0]);
                        listener.onClosed(c.code(), c.reason());
                        abort();
                        return;
                    }
                    case WsMessages.Oversized o -> {
                        write(WsFrames.CLOSE, WsFrames.closePayload(1009, "message too big"));
                        listener.onOversized();
                        linger();
                        return;
                    }
                    case WsMessages.Violation v -> {
                        write(WsFrames.CLOSE, WsFrames.closePayload(v.code(), v.reason()));
                        listener.onFailed("protocol error: " + v.reason());
                        linger();
                        return;
                    }
                }
            }
        } catch (IOException e) {
            abort();
            listener.onFailed(e instanceof EOFException && e.getMessage() == null
                    ? "the server closed the connection without a close frame" : describe(e));
        }
    }

    /** A one-line description of a transport failure. */
    public static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    // ---- helpers

    /** The TCP socket is the one {@link #abort()} closes: an SSL socket's close could wait for a blocked write. */
    private void adopt(Socket s) throws IOException {
        socket = s;
        if (aborted) {
            s.close();
            throw new IOException("aborted");
        }
    }

    private static boolean ipLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static int millisLeft(long deadlineNs) throws SocketTimeoutException {
        long leftNs = deadlineNs - System.nanoTime();
        if (leftNs <= 0) {
            throw new SocketTimeoutException("the upgrade took longer than the connect timeout");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(leftNs)));
    }

    private String readHead(Socket s, long deadlineNs) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            s.setSoTimeout(millisLeft(deadlineNs));
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection during the upgrade");
            }
            if (head.size() == MAX_HEAD_BYTES) {
                throw new IOException("an upgrade response head over " + MAX_HEAD_BYTES + " bytes");
            }
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private WsFrames.Header readHeader() throws IOException {
        in.readFully(header, 0, 2);
        int length = WsFrames.headerBytes(header[1]);
        in.readFully(header, 2, length - 2);
        return WsFrames.parseHeader(header, 0, length);
    }

    /** Writes one frame; false, writing nothing, once a close frame was sent (section 5.5.1). */
    private boolean write(int opcode, byte[] payload) throws IOException {
        byte[] frame = WsFrames.encode(opcode, payload, RANDOM.nextInt());
        writeLock.lock();
        try {
            if (closeSent) {
                return false;
            }
            closeSent = opcode == WsFrames.CLOSE;
            deadlines.writeStarted(System.nanoTime() + connectTimeoutNs);
            try {
                out.write(frame);
                out.flush();
            } finally {
                deadlines.writeEnded();
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /** After a close frame: reads to the end of the stream (the server closes first) within the grace. */
    private void linger() {
        deadlines.closeBy(System.nanoTime() + closeGraceNs);
        byte[] discard = new byte[4096];
        try {
            while (in.read(discard) >= 0) {
                // the server's data after a close is ignored (RFC 6455 section 5.5.1)
            }
        } catch (IOException e) {
            // closed by the grace
        }
        abort();
    }

    private byte[] payload(WsFrames.Header frame) throws IOException {
        byte[] payload = in.readNBytes((int) frame.payloadLength());
        if (payload.length < frame.payloadLength()) {
            throw new EOFException("the stream ended inside a frame");
        }
        return payload;
    }
}
