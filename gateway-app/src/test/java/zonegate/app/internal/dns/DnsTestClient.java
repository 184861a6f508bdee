package zonegate.app.internal.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A stub resolver's side of the tests: one UDP exchange, or queries over one TCP connection; 5 s bounds. */
final class DnsTestClient {
    static final int WAIT_MS = 5_000;

    private DnsTestClient() {
    }

    /** Sends each message from one socket, then returns the first datagram that comes back. */
    static byte[] udp(InetSocketAddress server, byte[]... messages) throws IOException {
        return udpFrom(server.getAddress(), server, messages);
    }

    /** {@link #udp} from a socket bound to {@code source} (another loopback address is another client). */
    static byte[] udpFrom(InetAddress source, InetSocketAddress server, byte[]... messages) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0))) {
            socket.setSoTimeout(WAIT_MS);
            for (byte[] m : messages) {
                socket.send(new DatagramPacket(m, m.length, server));
            }
            byte[] buffer = new byte[65_535];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            return Arrays.copyOf(buffer, packet.getLength());
        }
    }

    /** Sends every query on one connection (pipelined), then reads one response per query. */
    static List<byte[]> tcp(InetSocketAddress server, byte[]... queries) throws IOException {
        return tcpFrom(server.getAddress(), server, queries);
    }

    /** {@link #tcp} from a socket bound to {@code source}. */
    static List<byte[]> tcpFrom(InetAddress source, InetSocketAddress server, byte[]... queries) throws IOException {
        try (Socket socket = connectFrom(source, server)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            for (byte[] q : queries) {
                out.writeShort(q.length);
                out.write(q);
            }
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            List<byte[]> responses = new ArrayList<>();
            for (int i = 0; i < queries.length; i++) {
                byte[] r = new byte[in.readUnsignedShort()];
                in.readFully(r);
                responses.add(r);
            }
            return responses;
        }
    }

    /** A TCP connection from {@code source} with the 5 s read timeout; the caller closes it. */
    static Socket connectFrom(InetAddress source, InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(server, WAIT_MS);
            socket.setSoTimeout(WAIT_MS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Waits (at most 5 s) until {@code counter} reaches {@code expected}: for the event, not a fixed time. */
    static void await(LongSupplier counter, long expected) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (counter.getAsLong() < expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    static TestDns.Response parse(byte[] response) {
        return TestDns.readResponse(response, response.length);
    }
}
