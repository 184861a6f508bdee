package zonegate.app.internal.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code zonegate status}'s side of the admin socket: connects, sends {@code status}, reads the JSON answer
 * until the server closes (at most {@value #MAX_ANSWER_BYTES} bytes), within a timeout. Failures become
 * {@link Failure}s whose message tells the operator what to do.
 */
public final class StatusClient {
    /** The largest answer taken (a gateway with its full 10,000 clients writes about 5 MB). */
    public static final int MAX_ANSWER_BYTES = 32 << 20;

    private StatusClient() {
    }

    /** Why no status came: the message is for the operator. */
    public static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /** The answer of the server at {@code socket} (JSON, possibly an error object). */
    public static String fetch(Path socket, long timeoutMs) throws Failure {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException e) {
            throw new Failure("nothing listens on " + socket + ": the gateway (or relay) that made it is not running");
        } catch (SocketException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("No such file")) {
                throw new Failure("no admin socket at " + socket + ": is the gateway running, and with this "
                        + "--admin-socket? (defaults: /run/zonegate/gateway.sock, /run/zonegate/relay.sock)");
            }
            if (message.contains("Permission denied")) {
                throw new Failure("permission denied on " + socket + ": run zonegate status as root (or as the "
                        + "gateway's user)");
            }
            if (message.contains("Connection refused")) {
                throw new Failure("nothing listens on " + socket + ": the gateway (or relay) that made it is not running");
            }
            throw new Failure("cannot connect to " + socket + ": " + message);
        } catch (IOException e) {
            throw new Failure("cannot connect to " + socket + ": " + e.getMessage());
        }
        Thread watchdog = Thread.ofVirtual().name("zonegate-status-timeout").start(() -> {
            try {
                Thread.sleep(timeoutMs);
                channel.close();
            } catch (InterruptedException | IOException done) {
                // answered in time, or closing anyway
            }
        });
        try (channel) {
            channel.write(ByteBuffer.wrap("status\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream(4096);
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (channel.read(in.clear()) >= 0) {
                answer.write(in.array(), 0, in.position());
                if (answer.size() > MAX_ANSWER_BYTES) {
                    throw new Failure("the answer from " + socket + " is larger than " + MAX_ANSWER_BYTES + " bytes");
                }
            }
            if (answer.size() == 0) {
                throw new Failure(socket + " closed the connection without an answer");
            }
            return answer.toString(StandardCharsets.UTF_8);
        } catch (ClosedChannelException e) {
            throw new Failure("no answer from " + socket + " within " + timeoutMs + " ms");
        } catch (IOException e) {
            throw new Failure("reading from " + socket + " failed: " + e.getMessage());
        } finally {
            watchdog.interrupt();
        }
    }
}
