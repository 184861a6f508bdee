package zonegate.app.internal.dns;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A recursive resolver for tests: UDP and TCP on one port of 127.0.0.1, answering from a table of names.
 * Over UDP an answer larger than the query allows (512 bytes, or the EDNS size) is sent as a bare
 * header and question with TC set, as real resolvers do.
 */
final class FakeUpstream implements AutoCloseable {
    /** How the fake answers a name: an rcode with addresses, or nothing at all. */
    record Behaviour(int rcode, List<InetAddress> addresses, boolean silent) {
        static Behaviour answer(String... literals) {
            return new Behaviour(0, java.util.Arrays.stream(literals).map(InetAddress::ofLiteral).toList(), false);
        }

        static Behaviour rcode(int rcode) {
            return new Behaviour(rcode, List.of(), false);
        }

        static Behaviour silence() {
            return new Behaviour(0, List.of(), true);
        }
    }

    /** A query the fake received. */
    record Received(String name, int type, boolean tcp) {
    }

    private final Map<String, Behaviour> names = new ConcurrentHashMap<>();
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private final Queue<byte[]> sent = new ConcurrentLinkedQueue<>();
    private final DatagramChannel udp;
    private final ServerSocketChannel tcp;
    private volatile boolean spoofFirst;
    private volatile Behaviour fallback = Behaviour.rcode(3);

    FakeUpstream() throws IOException {
        ServerSocketChannel[] boundTcp = new ServerSocketChannel[1];
        this.udp = bindBoth(boundTcp);
        this.tcp = boundTcp[0];
        Thread.ofVirtual().start(this::serveUdp);
        Thread.ofVirtual().start(this::acceptTcp);
    }

    /** Binds TCP on an ephemeral port, then UDP on the same one (retrying if another socket has it). */
    private static DatagramChannel bindBoth(ServerSocketChannel[] tcpOut) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            ServerSocketChannel t = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            try {
                DatagramChannel u = DatagramChannel.open().bind(t.getLocalAddress());
                tcpOut[0] = t;
                return u;
            } catch (IOException e) {
                t.close();
                last = e;
            }
        }
        throw last;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) tcp.socket().getLocalSocketAddress();
    }

    FakeUpstream on(String name, Behaviour behaviour) {
        names.put(name, behaviour);
        return this;
    }

    /** What names not in the table get (NXDOMAIN unless changed). */
    FakeUpstream otherwise(Behaviour behaviour) {
        fallback = behaviour;
        return this;
    }

    /** Before each UDP answer, send a copy with a wrong id (what an off-path spoofer would try). */
    FakeUpstream spoofingFirst() {
        spoofFirst = true;
        return this;
    }

    Queue<Received> received() {
        return received;
    }

    /** The last response sent. */
    byte[] lastSent() {
        byte[] last = null;
        for (byte[] s : sent) {
            last = s;
        }
        return last;
    }

    long receivedFor(String name) {
        return received.stream().filter(r -> r.name().equalsIgnoreCase(name)).count();
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }

    private byte[] respond(byte[] query, int length, boolean overTcp) {
        TestDns.Question q = TestDns.readQuery(query, length);
        received.add(new Received(q.name(), q.type(), overTcp));
        Behaviour b = names.getOrDefault(q.name().toLowerCase(java.util.Locale.ROOT), fallback);
        if (b.silent()) {
            return null;
        }
        List<InetAddress> family = b.addresses().stream()
                .filter(a -> (a.getAddress().length == 4) == (q.type() == TestDns.A)).toList();
        byte[] full = TestDns.response(q, b.rcode(), false, family, 300);
        int limit = q.ednsSize() > 0 ? q.ednsSize() : 512;
        byte[] response = overTcp || full.length <= limit ? full : TestDns.response(q, b.rcode(), true, List.of(), 0);
        sent.add(response);
        return response;
    }

    private void serveUdp() {
        ByteBuffer buffer = ByteBuffer.allocate(65_535);
        try {
            while (true) {
                buffer.clear();
                SocketAddress from = udp.receive(buffer);
                byte[] response = respond(buffer.array(), buffer.position(), false);
                if (response != null) {
                    if (spoofFirst) {
                        byte[] spoofed = response.clone();
                        spoofed[0] ^= 0x5A;
                        udp.send(ByteBuffer.wrap(spoofed), from);
                    }
                    udp.send(ByteBuffer.wrap(response), from);
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void acceptTcp() {
        try {
            while (true) {
                SocketChannel c = tcp.accept();
                Thread.ofVirtual().start(() -> serveTcp(c));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serveTcp(SocketChannel c) {
        try (c; DataInputStream in = new DataInputStream(c.socket().getInputStream())) {
            while (true) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] response = respond(query, query.length, true);
                if (response == null) {
                    continue;
                }
                ByteBuffer out = ByteBuffer.allocate(2 + response.length).putShort((short) response.length)
                        .put(response).flip();
                while (out.hasRemaining()) {
                    c.write(out);
                }
            }
        } catch (IOException e) {
            // the resolver closed the connection
        }
    }
}
