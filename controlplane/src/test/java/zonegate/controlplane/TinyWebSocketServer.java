package zonegate.controlplane;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal RFC 6455 server for tests: accepts connections, answers the upgrade (Sec-WebSocket-Accept),
 * writes unmasked frames and reads masked ones (text, continuation, close, ping). Each accepted socket is
 * handed to the test as a {@link Conn}, which the test drives itself, on its own thread.
 */
final class TinyWebSocketServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server;
    private final LinkedBlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
    private final Thread acceptor;
    private volatile String answer;

    /** A plain server on 127.0.0.1, or a TLS one if {@code server} is an SSL server socket. */
    TinyWebSocketServer(ServerSocket server) throws IOException {
        this.server = server;
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    TinyWebSocketServer() throws IOException {
        this(new ServerSocket());
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on, answers every upgrade with {@code response} (a whole HTTP head) instead of the 101. */
    void answerWith(String response) {
        answer = response;
    }

    /** The next upgraded connection, or null after {@code timeout}. */
    Conn nextConnection(Duration timeout) throws InterruptedException {
        return accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
        for (Conn c = accepted.poll(); c != null; c = accepted.poll()) {
            c.drop();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setSoTimeout(10_000);
                Conn conn = Conn.upgrade(s, answer);
                if (conn != null) {
                    accepted.add(conn);
                }
            } catch (IOException e) {
                // closed, or a client that went away during the upgrade
            }
        }
    }

    /** One message read from the client. */
    record Message(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    /** An upgraded connection. */
    static final class Conn {
        final String requestTarget;
        final Map<String, String> headers;
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        private Conn(Socket socket, String requestTarget, Map<String, String> headers) throws IOException {
            this.socket = socket;
            this.requestTarget = requestTarget;
            this.headers = headers;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static Conn upgrade(Socket socket, String answer) throws IOException {
            InputStream in = socket.getInputStream();
            String[] lines = readHead(in).split("\r\n");
            String target = lines[0].split(" ")[1];
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
                }
            }
            String key = headers.get("Sec-WebSocket-Key");
            if (key == null || !"websocket".equals(headers.getOrDefault("Upgrade", "").toLowerCase(Locale.ROOT))) {
                socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                socket.close();
                return null;
            }
            if (answer != null) {
                socket.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                return new Conn(socket, target, headers);
            }
            String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
            socket.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new Conn(socket, target, headers);
        }

        /** The next whole message (text assembled from continuations; pings answered), or null on EOF. */
        Message read() throws IOException {
            ByteArrayOutputStream assembled = new ByteArrayOutputStream();
            int messageOpcode = -1;
            while (true) {
                Frame frame = nextFrame();
                if (frame == null) {
                    return null;
                }
                switch (frame.opcode()) {
                    case 0x9 -> write(0xA, frame.payload(), true);
                    case 0xA -> {
                    }
                    case 0x8 -> {
                        return new Message(0x8, frame.payload());
                    }
                    default -> {
                        if (frame.opcode() != 0) {
                            messageOpcode = frame.opcode();
                        }
                        assembled.write(frame.payload());
                        if (frame.fin()) {
                            return new Message(messageOpcode, assembled.toByteArray());
                        }
                    }
                }
            }
        }

        /** The next frame as it came (a ping is not answered, fragments are not assembled), or null on EOF. */
        Message readFrame() throws IOException {
            Frame frame = nextFrame();
            return frame == null ? null : new Message(frame.opcode(), frame.payload());
        }

        private record Frame(boolean fin, int opcode, byte[] payload) {
        }

        /** One client frame, unmasked; null on EOF before its first two bytes. */
        private Frame nextFrame() throws IOException {
            int b0;
            int b1;
            try {
                b0 = in.readUnsignedByte();
                b1 = in.readUnsignedByte();
            } catch (EOFException e) {
                return null;
            }
            if ((b1 & 0x80) == 0) {
                throw new IOException("a client frame must be masked (RFC 6455 section 5.1)");
            }
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = in.readNBytes(4);
            byte[] payload = in.readNBytes((int) length);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            return new Frame((b0 & 0x80) != 0, b0 & 0x0f, payload);
        }

        /** Writes {@code bytes} as they are (a hand-made frame). */
        synchronized void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Whether the client closed the TCP connection within {@code timeout}, discarding what it sends. */
        boolean eofWithin(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                while (in.read() >= 0) {
                    // discarded
                }
                return true;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        /** The next text message, skipping nothing; fails on anything else. */
        String readText() throws IOException {
            Message m = read();
            if (m == null || m.opcode() != 0x1) {
                throw new IOException("expected a text message, got " + (m == null ? "EOF" : "opcode " + m.opcode()));
            }
            return m.text();
        }

        void sendText(String text) throws IOException {
            write(0x1, text.getBytes(StandardCharsets.UTF_8), true);
        }

        /** Sends {@code text} in fragments of {@code fragmentBytes} bytes (a UTF-8 split is fine for ASCII). */
        void sendFragmented(String text, int fragmentBytes) throws IOException {
            byte[] all = text.getBytes(StandardCharsets.UTF_8);
            for (int offset = 0; offset < all.length; offset += fragmentBytes) {
                int end = Math.min(all.length, offset + fragmentBytes);
                byte[] part = java.util.Arrays.copyOfRange(all, offset, end);
                write(offset == 0 ? 0x1 : 0x0, part, end == all.length);
            }
        }

        void sendPing(byte[] payload) throws IOException {
            write(0x9, payload, true);
        }

        void sendClose(int code) throws IOException {
            write(0x8, new byte[] {(byte) (code >> 8), (byte) code}, true);
        }

        /** Closes the TCP connection without a close frame. */
        void drop() {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }

        /** Whether the client closed or dropped the connection within {@code timeout} (reading until then). */
        boolean closedWithin(Duration timeout) throws IOException {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                while (true) {
                    Message m = read();
                    if (m == null || m.opcode() == 0x8) {
                        return true;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        private synchronized void write(int opcode, byte[] payload, boolean fin) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
            frame.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length < 65_536) {
                frame.write(126);
                frame.write(payload.length >> 8);
                frame.write(payload.length);
            } else {
                frame.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >> shift));
                }
            }
            frame.write(payload);
            out.write(frame.toByteArray());
            out.flush();
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the upgrade request ended early");
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
                if (head.size() > 16_384) {
                    throw new IOException("an upgrade request over 16 KiB");
                }
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        private static String accept(String key) {
            try {
                byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
                return Base64.getEncoder().encodeToString(sha1);
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }
    }
}
