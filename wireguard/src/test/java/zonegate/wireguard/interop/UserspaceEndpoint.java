package zonegate.wireguard.interop;

import java.time.InstantSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import zonegate.packet.IcmpWriter;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;
import zonegate.wireguard.Action;
import zonegate.wireguard.Device;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.Tunnel;
import zonegate.wireguard.TunnelResult;
import zonegate.wireguard.WireGuardConfig;

/**
 * Our WireGuard in userspace over a real UDP socket, as a minimal shell would drive it: one thread
 * owns the {@link Device}, feeds it datagrams and timeouts with the current monotonic time, and sends
 * what it writes. Decrypted ICMP echo requests are answered; every other decrypted packet is handed to
 * the test through {@link #received()}. Other threads act on the device only through {@link #call}.
 */
final class UserspaceEndpoint implements AutoCloseable {
    private final Device device;
    private final DatagramChannel channel;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final ByteBuffer in = ByteBuffer.allocateDirect(65_536);
    private final ByteBuffer out = ByteBuffer.allocateDirect(65_536);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(65_536);
    private final TunnelResult result = new TunnelResult();
    private final PacketParser parser = new PacketParser();
    private final Thread loop;
    private volatile boolean running = true;
    private volatile Throwable failure;

    UserspaceEndpoint(PrivateKey key, WireGuardConfig config, InetSocketAddress bind) throws IOException {
        this.device = new Device(key, config, InstantSource.system(), new SecureRandom(), RandomGenerator.getDefault(),
                System.nanoTime());
        this.channel = DatagramChannel.open().bind(bind);
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        this.loop = Thread.ofPlatform().name("wg-userspace").daemon().start(this::run);
    }

    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Decrypted packets that were not echo requests, as copies. */
    BlockingQueue<byte[]> received() {
        return received;
    }

    /** Runs {@code action} on the device's thread. */
    <T> CompletableFuture<T> call(Function<Device, T> action) {
        CompletableFuture<T> future = new CompletableFuture<>();
        commands.add(() -> {
            try {
                future.complete(action.apply(device));
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
            }
        });
        selector.wakeup();
        return future;
    }

    /** Encapsulates one IP packet for {@code peer} and sends whatever that produces. */
    CompletableFuture<Action> send(Tunnel peer, byte[] packet) {
        return call(d -> {
            out.clear();
            Action a = peer.encapsulate(ByteBuffer.wrap(packet), out, System.nanoTime(), result);
            if (a == Action.WRITE_TO_NETWORK) {
                transmit(peer.endpoint());
            }
            return a;
        });
    }

    private void run() {
        try {
            while (running) {
                Runnable command;
                while ((command = commands.poll()) != null) {
                    command.run();
                }
                receiveAll();
                runTimers();
                long deadline = device.nextTimerDeadlineNs();
                long waitMs = deadline == Long.MAX_VALUE ? 50
                        : Math.clamp((deadline - System.nanoTime()) / 1_000_000, 1, 50);
                selector.select(waitMs);
                selector.selectedKeys().clear();
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void receiveAll() throws IOException {
        SocketAddress from;
        while ((from = receive()) != null) {
            out.clear();
            switch (device.handleDatagram(from, in, out, System.nanoTime(), result)) {
                case WRITE_TO_NETWORK -> {
                    transmit(from);
                    runTimers();
                }
                case WRITE_TO_TUNNEL -> onPacket(result.tunnel());
                case DONE, QUEUED, DROPPED -> { }
            }
        }
    }

    private SocketAddress receive() throws IOException {
        in.clear();
        SocketAddress from = channel.receive(in);
        in.flip();
        return from;
    }

    private void runTimers() {
        while (true) {
            out.clear();
            if (device.handleTimeout(System.nanoTime(), out, result) != Action.WRITE_TO_NETWORK) {
                return;
            }
            transmit(result.tunnel().endpoint());
        }
    }

    private void onPacket(Tunnel peer) {
        out.flip();
        IpPacket packet = parser.parseOrNull(out, out.position(), out.remaining());
        boolean echoRequest = packet != null
                && (packet.icmpv4() != null && packet.icmpv4().type() == 8
                        || packet.icmpv6() != null && packet.icmpv6().type() == 128);
        if (!echoRequest) {
            byte[] copy = new byte[out.remaining()];
            out.get(copy);
            received.add(copy);
            return;
        }
        reply.clear();
        int length = IcmpWriter.writeEchoReply(packet, reply, 0, reply.capacity());
        reply.limit(length);
        out.clear();
        if (peer.encapsulate(reply, out, System.nanoTime(), result) == Action.WRITE_TO_NETWORK) {
            transmit(peer.endpoint());
        }
    }

    private void transmit(SocketAddress to) {
        out.flip();
        try {
            channel.send(out, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        selector.wakeup();
        loop.join(5_000);
        selector.close();
        channel.close();
        if (failure != null) {
            throw new AssertionError("userspace endpoint failed", failure);
        }
    }
}
