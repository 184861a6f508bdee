package zonegate.app.internal.dns;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import zonegate.tunnel.dns.DnsAnswers;
import zonegate.tunnel.dns.DnsAnswersParser;
import zonegate.tunnel.dns.DnsAnswersResult;

/**
 * One query to one upstream server over UDP or TCP, on a socket of its own: a connected
 * {@link DatagramChannel} on a fresh ephemeral port (the kernel picks it at random, and a connected
 * socket only receives from the server) or a {@link SocketChannel} with 2-byte length framing (RFC
 * 1035 section 4.2.2). Both are blocking channels used from virtual threads, which the JDK parks
 * without pinning a carrier; the timeouts go through the channels' socket adaptors.
 *
 * <p>Over UDP a datagram that does not answer our query (id, question) is ignored and counted, and the
 * wait goes on until the deadline: an off-path attacker must guess port and id before the real answer.
 */
final class UpstreamExchange {
    static final int MAX_MESSAGE_BYTES = 65_535;

    private final Set<Channel> open;
    private final UpstreamCounters counters;
    private final BooleanSupplier closed;

    /** {@code open} tracks the sockets in use so that closing the resolver can close them. */
    UpstreamExchange(Set<Channel> open, UpstreamCounters counters, BooleanSupplier closed) {
        this.open = open;
        this.counters = counters;
        this.closed = closed;
    }

    /** What we asked; the response must repeat it. */
    record Question(int id, String name, int type, int qclass) {
    }

    /** How one try ended. */
    sealed interface Outcome {
        record Answered(byte[] response, DnsAnswers answers) implements Outcome {
        }

        record Failed(UpstreamFailure reason, String detail) implements Outcome {
        }
    }

    Outcome udp(InetSocketAddress server, byte[] query, Question question, long timeoutNs) {
        counters.udpQueries.increment();
        long deadlineNs = System.nanoTime() + timeoutNs;
        try (DatagramChannel channel = DatagramChannel.open(family(server))) {
            open.add(channel);
            try {
                channel.connect(server);
                channel.write(ByteBuffer.wrap(query));
                DatagramSocket socket = channel.socket();
                byte[] buffer = new byte[MAX_MESSAGE_BYTES];
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                while (true) {
                    socket.setSoTimeout(millisUntil(deadlineNs));
                    packet.setLength(buffer.length);
                    socket.receive(packet);
                    Outcome outcome = read(buffer, packet.getLength(), question);
                    if (outcome instanceof Outcome.Answered) {
                        return outcome;
                    }
                    counters.ignoredDatagrams.increment();
                }
            } finally {
                open.remove(channel);
            }
        } catch (IOException e) {
            return failure(e);
        }
    }

    Outcome tcp(InetSocketAddress server, byte[] query, Question question, long timeoutNs) {
        counters.tcpQueries.increment();
        long deadlineNs = System.nanoTime() + timeoutNs;
        try (SocketChannel channel = SocketChannel.open(family(server))) {
            open.add(channel);
            try {
                Socket socket = channel.socket();
                socket.connect(server, millisUntil(deadlineNs));
                ByteBuffer framed = ByteBuffer.allocate(2 + query.length).putShort((short) query.length).put(query);
                channel.write(framed.flip());
                InputStream in = socket.getInputStream();
                byte[] length = readFully(in, socket, 2, deadlineNs);
                byte[] response = readFully(in, socket, (length[0] & 0xFF) << 8 | length[1] & 0xFF, deadlineNs);
                Outcome outcome = read(response, response.length, question);
                return outcome instanceof Outcome.Answered ? outcome
                        : new Outcome.Failed(UpstreamFailure.BAD_RESPONSE, "not an answer to our query over TCP");
            } finally {
                open.remove(channel);
            }
        } catch (IOException e) {
            return failure(e);
        }
    }

    private static Outcome read(byte[] message, int length, Question q) {
        return switch (DnsAnswersParser.parse(ByteBuffer.wrap(message), 0, length, q.id(), q.name(), q.type(),
                q.qclass())) {
            case DnsAnswersResult.Answers(DnsAnswers answers) ->
                    new Outcome.Answered(Arrays.copyOf(message, length), answers);
            case DnsAnswersResult.Rejected(var reason) -> new Outcome.Failed(UpstreamFailure.BAD_RESPONSE,
                    reason.toString());
        };
    }

    private Outcome failure(IOException e) {
        if (closed.getAsBoolean()) {
            // the socket adaptors report a close from another thread as a plain SocketException
            return new Outcome.Failed(UpstreamFailure.CLOSED, "resolver closed");
        }
        return switch (e) {
            case SocketTimeoutException t -> {
                counters.timeouts.increment();
                yield new Outcome.Failed(UpstreamFailure.TIMEOUT, "no answer in time");
            }
            case ClosedByInterruptException interrupted -> new Outcome.Failed(UpstreamFailure.CLOSED, "interrupted");
            case AsynchronousCloseException closed -> new Outcome.Failed(UpstreamFailure.CLOSED, "resolver closed");
            default -> {
                counters.ioErrors.increment();
                yield new Outcome.Failed(UpstreamFailure.IO_ERROR, e.toString());
            }
        };
    }

    private static byte[] readFully(InputStream in, Socket socket, int length, long deadlineNs) throws IOException {
        byte[] bytes = new byte[length];
        int at = 0;
        while (at < length) {
            socket.setSoTimeout(millisUntil(deadlineNs));
            int n = in.read(bytes, at, length - at);
            if (n < 0) {
                throw new EOFException("upstream closed the TCP connection after " + at + " of " + length + " bytes");
            }
            at += n;
        }
        return bytes;
    }

    /** The socket timeout until the deadline: at least 1 ms (0 would mean "forever"), or a timeout now. */
    private static int millisUntil(long deadlineNs) throws SocketTimeoutException {
        long leftNs = deadlineNs - System.nanoTime();
        if (leftNs <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return Math.clamp(TimeUnit.NANOSECONDS.toMillis(leftNs + 999_999), 1, Integer.MAX_VALUE);
    }

    private static ProtocolFamily family(InetSocketAddress server) {
        return server.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }
}
