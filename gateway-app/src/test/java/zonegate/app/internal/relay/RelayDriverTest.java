package zonegate.app.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.shell.loop.Outbound;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.turn.server.RelayConfig;
import zonegate.turn.server.RelayServer;

class RelayDriverTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 40000);
    private final BufferPool pool = new BufferPool(2048, 16, false);
    private final List<Sent> sent = new ArrayList<>();

    @Test
    void answersClientRequestsFromTheListenSocket() throws Exception {
        RelayDriver driver = driver();
        PooledBuffer request = pool.acquire();
        request.buffer().put(bindingRequest()).flip();

        boolean kept = driver.onDatagram(RelayDriver.LISTEN_SOCKET_INDEX, CLIENT, request, 1);

        assertFalse(kept);
        assertEquals(1, sent.size());
        assertEquals(RelayDriver.LISTEN_SOCKET_INDEX, sent.get(0).socketIndex());
        assertEquals(CLIENT, sent.get(0).destination());
        assertEquals(0x0101, sent.get(0).bytes().getShort(0) & 0xFFFF, "Binding success response");
    }

    @Test
    void dropsPeerDatagramsOnAPortWithoutAllocation() {
        RelayDriver driver = driver();
        PooledBuffer datagram = pool.acquire();
        datagram.buffer().put(new byte[] {1, 2, 3}).flip();

        boolean kept = driver.onDatagram(3, new InetSocketAddress("198.51.100.7", 5000), datagram, 1);

        assertFalse(kept);
        assertTrue(sent.isEmpty());
        assertEquals(0, driver.transmitDrops());
    }

    private RelayDriver driver() {
        try {
            RelayConfig config = RelayConfig.of("test", InetAddress.getByName("203.0.113.1"), null, 50000, 50019)
                    .withStaticUsers(Map.of("user", "pass"));
            RelayServer server = new RelayServer(config, InstantSource.fixed(Instant.EPOCH), new SplittableRandom(7), 0);
            RelayDriver driver = new RelayDriver(server, 50000, 20);
            driver.onStart(new RecordingOutbound(), 0);
            return driver;
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bindingRequest() {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442);
        for (int i = 0; i < 12; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    private record Sent(int socketIndex, InetSocketAddress destination, ByteBuffer bytes) {
    }

    private final class RecordingOutbound implements Outbound {
        @Override
        public PooledBuffer acquire() {
            return pool.acquire();
        }

        @Override
        public boolean sendDatagram(int socketIndex, InetSocketAddress destination, PooledBuffer datagram) {
            ByteBuffer copy = ByteBuffer.allocate(datagram.buffer().remaining());
            copy.put(datagram.buffer()).flip();
            sent.add(new Sent(socketIndex, destination, copy));
            pool.release(datagram);
            return true;
        }

        @Override
        public boolean writeToDevice(int flowHash, PooledBuffer packet) {
            pool.release(packet);
            return false;
        }

        @Override
        public int socketCount() {
            return 21;
        }

        @Override
        public int deviceQueueCount() {
            return 0;
        }
    }
}
