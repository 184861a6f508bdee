package zonegate.shell.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zonegate.shell.io.TestNamespace;
import zonegate.shell.io.TunDevice;
import zonegate.shell.io.UdpBatchReceiver;
import zonegate.shell.io.UdpBatchSender;
import zonegate.shell.io.UdpSocket;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;

/**
 * A kernel TCP connection through a TUN device and the event loop: a driver swaps the source and
 * destination addresses of every packet and writes it back (the sum of the addresses, and so every
 * checksum, stays the same), so a client connecting to 100.64.0.2 reaches a server on the device's own
 * 100.64.0.1 through the loop, both directions. With offloads the kernel hands the device TSO
 * super-packets and must take the coalesced ones back.
 */
class TunOffloadTest {
    private static final int STREAM_BYTES = 24 << 20;
    private static final int PORT = 5201;

    private final BufferPool pool = new BufferPool(2048, 4096, true);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ExecutorService peers = Executors.newCachedThreadPool();
    private EventLoop loop;

    @AfterEach
    void close() throws Exception {
        if (loop != null) {
            loop.close();
            assertThat(pool.available()).as("buffers back in the pool").isEqualTo(pool.capacity());
        }
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
        peers.shutdownNow();
    }

    @Test
    void ipv4StreamIsReadAsSuperPacketsAndWrittenCoalescedIntact() throws Exception {
        LoopCounters c = stream("zgoff4", true, "100.64.0.1", "100.64.0.2");

        assertThat(c.deviceReads()).as("reads").isLessThan(c.devicePacketsIn() / 4);
        assertThat(c.deviceWrites()).as("writes").isLessThan(c.devicePacketsOut() / 2);
        assertThat(c.deviceOffloadDrops()).isZero();
        assertThat(c.deviceWriteErrors()).isZero();
    }

    @Test
    void ipv6StreamIsReadAsSuperPacketsAndWrittenCoalescedIntact() throws Exception {
        LoopCounters c = stream("zgoff6", true, "fd00:2021:1111::1", "fd00:2021:1111::2");

        assertThat(c.deviceReads()).as("reads").isLessThan(c.devicePacketsIn() / 4);
        assertThat(c.deviceWrites()).as("writes").isLessThan(c.devicePacketsOut() / 2);
        assertThat(c.deviceWriteErrors()).isZero();
    }

    @Test
    void fourParallelConnectionsAreWrittenCoalescedIntact() throws Exception {
        LoopCounters c = stream("zgoff8", true, "100.64.0.1", "100.64.0.2", EventLoopConfig.defaults().withStateThreadIo(),
                4);

        assertThat(c.deviceWrites()).as("writes").isLessThan(c.devicePacketsOut() / 2);
        assertThat(c.deviceOffloadDrops()).isZero();
        assertThat(c.deviceWriteErrors()).isZero();
    }

    @Test
    void onTheStateThreadSuperPacketsLargerThanABatchAreDeliveredWhole() throws Exception {
        // 8-packet batches: nearly every super-packet leaves segments for later cycles, when the fd may have
        // nothing more to report; were they left until it does, the stream would wait for retransmissions.
        LoopCounters c = stream("zgofs4", true, "100.64.0.1", "100.64.0.2",
                EventLoopConfig.defaults().withReadBatches(8, 8).withStateThreadIo());

        assertThat(c.deviceReads()).as("reads").isLessThan(c.devicePacketsIn() / 4);
        assertThat(c.deviceWrites()).as("writes").isLessThan(c.devicePacketsOut() / 2);
        assertThat(c.deviceOffloadDrops()).isZero();
    }

    @Test
    void onTheStateThreadTheSegmentsLeftOfASuperPacketGoOutWithoutTheFdBecomingReadableAgain() throws Exception {
        // One UDP_SEGMENT send of 20 datagrams is one USO super-packet on the device, and nothing follows it;
        // a cycle takes one batch of 8 per fd, so 12 segments are left after the read. They must go out in
        // the next cycles although the fd has nothing more to report.
        TestNamespace namespace = closing(TestNamespace.create());
        TunDevice tun = namespace.configuredTun("zgofp4", 1, true);
        loop = EventLoop.create(EventLoopConfig.defaults().withReadBatches(8, 8).withDrainBatchesPerCycle(1)
                .withStateThreadIo(), new AddressSwapDriver(), pool, tun, List.of());
        loop.start();
        UdpSocket socket = closing(namespace.udpSocket(new InetSocketAddress(InetAddress.ofLiteral("100.64.0.1"), 7000),
                1 << 20));
        InetSocketAddress swapped = new InetSocketAddress(InetAddress.ofLiteral("100.64.0.2"), 7000);  // ports stay
        int count = 20;
        ByteBuffer[] datagrams = new ByteBuffer[count];
        InetSocketAddress[] destinations = new InetSocketAddress[count];
        ByteBuffer[] received = new ByteBuffer[count];
        InetSocketAddress[] sources = new InetSocketAddress[count];
        for (int i = 0; i < count; i++) {
            datagrams[i] = ByteBuffer.allocateDirect(1000);
            datagrams[i].put(0, (byte) i);
            destinations[i] = swapped;
            received[i] = ByteBuffer.allocateDirect(2048);
        }
        UdpBatchSender sender = new UdpBatchSender(socket, true);
        UdpBatchReceiver receiver = new UdpBatchReceiver(socket, count, 16);
        for (int round = 0; round < 3; round++) {
            assertThat(sender.send(datagrams, destinations, 0, count)).isEqualTo(count);
            int got = 0;
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got < count && System.nanoTime() < deadlineNs) {
                int n = receiver.receive(received, sources, count - got);
                if (n == UdpBatchReceiver.WOULD_BLOCK) {
                    Thread.sleep(1);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    assertThat(received[i].get(received[i].position())).as("datagram %d", got).isEqualTo((byte) got);
                    assertThat(received[i].remaining()).as("datagram %d length", got).isEqualTo(1000);
                    assertThat(sources[i]).isEqualTo(swapped);
                    received[i].clear();
                    got++;
                }
            }
            assertThat(got).as("datagrams of round %d back", round).isEqualTo(count);
        }
        assertThat(sender.gsoSends()).as("sent as super-packets").isEqualTo(3);
        loop.close();
        assertThat(loop.counters().devicePacketsIn()).as("segments read").isGreaterThanOrEqualTo(3L * count);
        // The device took USO: the swapped datagrams of each 8-packet batch went back as one UDP super-packet,
        // which the kernel cut into the datagrams the socket read above.
        assertThat(tun.offloads() & TunDevice.TUN_F_USO4).isNotZero();
        assertThat(loop.counters().devicePacketsOut()).isEqualTo(3L * count);
        assertThat(loop.counters().deviceWrites()).as("writes").isLessThan(loop.counters().devicePacketsOut() / 4);
    }

    @Test
    void onTheStateThreadWithoutOffloadsTheIpv6StreamIsIntact() throws Exception {
        LoopCounters c = stream("zgofs6", false, "fd00:2021:1111::1", "fd00:2021:1111::2",
                EventLoopConfig.defaults().withStateThreadIo());

        assertThat(c.deviceReads()).isEqualTo(c.devicePacketsIn());
        assertThat(c.deviceWrites()).isEqualTo(c.devicePacketsOut());
    }

    @Test
    void withAckThinningFourStreamsAreIntact() throws Exception {
        LoopCounters c = stream("zgoft4", true, "100.64.0.1", "100.64.0.2",
                EventLoopConfig.defaults().withStateThreadIo().withAckThinning(true), 4);

        assertThat(c.deviceWrites()).as("writes").isLessThan(c.devicePacketsOut() / 2);
        assertThat(c.deviceOffloadDrops()).isZero();
        assertThat(c.deviceWriteErrors()).isZero();
    }

    @Test
    void withAckThinningTheAcksOfABatchThatALaterOneSupersedesAreLeftOutAndCounted() throws Exception {
        assertThat(writeAckBatch("zgoat4", true)).containsExactly(2L, 7L);     // the last of each flow written
        assertThat(writeAckBatch("zgoau4", false)).containsExactly(9L, 0L);
    }

    /**
     * Writes one batch of nine ACKs to a device with offloads (eight of one flow, acknowledging more each
     * time, with one of another flow among them), from a driver command, so they are in one outbound batch;
     * returns the packets written and the ACKs thinned.
     */
    private List<Long> writeAckBatch(String device, boolean thinning) throws Exception {
        TestNamespace namespace = closing(TestNamespace.create());
        TunDevice tun = namespace.configuredTun(device, 1, true);
        loop = EventLoop.create(EventLoopConfig.defaults().withStateThreadIo().withAckThinning(thinning),
                new AddressSwapDriver(), pool, tun, List.of());
        loop.start();
        loop.submit((Runnable) () -> { });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        LoopCounters c = loop.counters();
        while (c.devicePacketsOut() + c.deviceAcksThinned() < 9 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        loop.close();
        return List.of(c.devicePacketsOut(), c.deviceAcksThinned());
    }

    /** An IPv4 TCP segment with only the ACK flag and no payload, 100.64.0.2:port to 100.64.0.1:5201 (no checksums). */
    private static byte[] ack(int sourcePort, int ack) {
        byte[] p = new byte[40];
        ByteBuffer b = ByteBuffer.wrap(p);
        b.put(0, (byte) 0x45).putShort(2, (short) 40).put(8, (byte) 64).put(9, (byte) 6);
        b.put(12, new byte[] {100, 64, 0, 2}).put(16, new byte[] {100, 64, 0, 1});
        b.putShort(20, (short) sourcePort).putShort(22, (short) PORT).putInt(24, 1).putInt(28, ack);
        b.put(32, (byte) 0x50).put(33, (byte) 0x10).putShort(34, (short) 1000);
        return p;
    }

    @Test
    void withoutOffloadsEveryPacketIsOneSyscall() throws Exception {
        LoopCounters c = stream("zgoff0", false, "100.64.0.1", "100.64.0.2");

        assertThat(c.deviceReads()).isEqualTo(c.devicePacketsIn());
        assertThat(c.deviceWrites()).isEqualTo(c.devicePacketsOut());
    }

    /** Sends {@link #STREAM_BYTES} random bytes from client to server through the loop; checks them. */
    private LoopCounters stream(String device, boolean offload, String local, String remote) throws Exception {
        return stream(device, offload, local, remote, EventLoopConfig.defaults());
    }

    private LoopCounters stream(String device, boolean offload, String local, String remote, EventLoopConfig config)
            throws Exception {
        return stream(device, offload, local, remote, config, 1);
    }

    /** {@code connections} parallel connections, {@link #STREAM_BYTES} in all, each checked on its own. */
    private LoopCounters stream(String device, boolean offload, String local, String remote, EventLoopConfig config,
                                int connections) throws Exception {
        TestNamespace namespace = closing(TestNamespace.create());
        TunDevice tun = namespace.configuredTun(device, 1, offload);
        assertThat(tun.offloads() != 0).isEqualTo(offload);
        loop = EventLoop.create(config, new AddressSwapDriver(), pool, tun, List.of());
        loop.start();
        ServerSocket server = closing(namespace.call(() -> new ServerSocket(PORT, connections,
                InetAddress.ofLiteral(local))));
        int bytesEach = STREAM_BYTES / connections;
        List<CompletableFuture<byte[]>> received = new ArrayList<>();
        List<CompletableFuture<byte[]>> sent = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            received.add(CompletableFuture.supplyAsync(() -> {
                try (Socket accepted = server.accept(); InputStream in = accepted.getInputStream()) {
                    int seed = in.read();                          // the sender's first byte names it
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    digest.update((byte) seed);
                    byte[] chunk = new byte[1 << 16];
                    long total = 1;
                    for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                        digest.update(chunk, 0, n);
                        total += n;
                    }
                    assertThat(total).isEqualTo(bytesEach);
                    return digest.digest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, peers));
        }
        for (int c = 0; c < connections; c++) {
            Socket client = closing(namespace.call(() -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(InetAddress.ofLiteral(remote), PORT), 5_000);
                return s;
            }));
            int seed = c;
            sent.add(CompletableFuture.supplyAsync(() -> {
                try (OutputStream out = client.getOutputStream()) {
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    Random random = new Random(14 + seed);
                    byte[] chunk = new byte[1 << 16];
                    random.nextBytes(chunk);
                    chunk[0] = (byte) seed;
                    for (int done = 0; done < bytesEach; done += chunk.length) {
                        if (done > 0) {
                            random.nextBytes(chunk);
                        }
                        int n = Math.min(chunk.length, bytesEach - done);
                        digest.update(chunk, 0, n);
                        out.write(chunk, 0, n);
                    }
                    return digest.digest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, peers));
        }

        try {
            List<byte[]> expected = new ArrayList<>();
            for (CompletableFuture<byte[]> s : sent) {
                expected.add(s.get(20, TimeUnit.SECONDS));
            }
            List<byte[]> got = new ArrayList<>();
            for (CompletableFuture<byte[]> r : received) {
                got.add(r.get(20, TimeUnit.SECONDS));
            }
            assertThat(got).usingElementComparator(java.util.Arrays::compare).containsExactlyInAnyOrderElementsOf(expected);
        } catch (java.util.concurrent.TimeoutException e) {
            LoopCounters c = loop.counters();
            throw new AssertionError("stream stalled: in " + c.devicePacketsIn() + "/" + c.deviceReads() + " reads, out "
                    + c.devicePacketsOut() + "/" + c.deviceWrites() + " writes, write errors " + c.deviceWriteErrors()
                    + ", offload drops " + c.deviceOffloadDrops() + ", outbound drops " + c.outboundDrops(), e);
        }
        // The connection's last ACKs may still be crossing the loop: stop it so the counters hold still.
        loop.close();
        return loop.counters();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** Swaps the IPv4 or IPv6 addresses of every packet from the device and writes it back on its queue. */
    private static final class AddressSwapDriver implements StateMachineDriver {
        private Outbound out;

        @Override
        public void onStart(Outbound outbound, long nowNs) {
            out = outbound;
        }

        /** Any command: writes nine ACKs (see {@link #writeAckBatch}) in this one cycle. */
        @Override
        public void onCommand(Object command, long nowNs) {
            for (int i = 0; i < 9; i++) {
                PooledBuffer packet = out.acquire();
                byte[] p = i == 4 ? ack(40001, 7) : ack(40000, 1000 * (i + 1));
                packet.buffer().clear().put(p).flip();
                out.writeToDevice(0, packet);
            }
        }

        @Override
        public boolean onDatagram(int socketIndex, InetSocketAddress from, PooledBuffer datagram, long nowNs) {
            return false;
        }

        @Override
        public boolean onDevicePacket(int queueIndex, PooledBuffer packet, long nowNs) {
            ByteBuffer b = packet.buffer();
            int at = b.position();
            int version = (b.get(at) & 0xF0) >>> 4;
            if (version == 4 && b.remaining() >= 20) {
                int source = b.getInt(at + 12);
                b.putInt(at + 12, b.getInt(at + 16)).putInt(at + 16, source);
            } else if (version == 6 && b.remaining() >= 40 && b.get(at + 8) != (byte) 0xfe) {
                for (int i = 0; i < 16; i += 8) {
                    long source = b.getLong(at + 8 + i);
                    b.putLong(at + 8 + i, b.getLong(at + 24 + i)).putLong(at + 24 + i, source);
                }
            } else {
                return false;                                  // link-local noise (router solicitations)
            }
            out.writeToDevice(queueIndex, packet);
            return true;
        }

        @Override
        public void onTimeout(long nowNs) {
        }

        @Override
        public long nextDeadlineNs() {
            return Long.MAX_VALUE;
        }
    }
}
