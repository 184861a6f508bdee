package zonegate.turn.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import zonegate.stun.ChannelDataView;
import zonegate.stun.StunMethod;
import zonegate.turn.client.AllocationConfig;
import zonegate.turn.client.AllocationEvent;

/**
 * Our TURN client ({@link zonegate.turn.client.Allocation}) against coturn's {@code turnserver} (Debian
 * package {@code coturn}) on 127.0.0.1, with a static long-term user and with TURN REST credentials:
 * it allocates, learns its server-reflexive and relayed addresses, binds a channel to a peer (a plain UDP
 * socket) and exchanges {@value #MESSAGES} messages each way over ChannelData; a second socket of the
 * same peer IP, which the permission covers but no channel does, reaches the client through a Data
 * indication; closing the allocation deletes it (REFRESH with LIFETIME 0, answered with a success). A
 * third case shortens coturn's allocation lifetime (4 s) and nonce lifetime (2 s): the client refreshes
 * at half the lifetime, renews stale nonces (438) and keeps relaying. Each case takes a few seconds.
 * Skipped when turnserver is missing, unless {@code ZG_INTEROP=required}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CoturnInteropTest {
    private static final int MESSAGES = 20;
    private static final long AWAIT_MS = 5_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @BeforeEach
    void requireCoturn() {
        InteropEnvironment.require(Coturn.TURNSERVER);
    }

    @Test
    void staticUserAllocatesBindsAChannelAndRelaysBothWays() throws Exception {
        try (Coturn coturn = Coturn.start(dir, Coturn.staticUser("alice", "wonderland"))) {
            exchange(coturn, AllocationConfig.of(coturn.address, "alice", "wonderland"));
        }
    }

    @Test
    void restCredentialsAllocateBindAChannelAndRelayBothWays() throws Exception {
        String secret = "rest-secret";
        try (Coturn coturn = Coturn.start(dir, Coturn.restSecret(secret))) {
            String username = (Instant.now().getEpochSecond() + 3_600) + ":zonegate";
            exchange(coturn, AllocationConfig.of(coturn.address, username, restPassword(secret, username)));
        }
    }

    @Test
    void refreshesAShortLifetimeAndRenewsStaleNoncesWithoutLosingTheAllocation() throws Exception {
        List<String> config = new ArrayList<>(Coturn.staticUser("alice", "wonderland"));
        config.addAll(List.of("max-allocate-lifetime=4", "stale-nonce=2"));
        try (Coturn coturn = Coturn.start(dir, config);
                AllocationDriver client = new AllocationDriver(
                        AllocationConfig.of(coturn.address, "alice", "wonderland"), 2);
                DatagramSocket peer = peerSocket()) {
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            var allocated = client.await(AllocationEvent.RelayAllocated.class, e -> true, AWAIT_MS);
            assertThat(allocated.lifetimeSeconds()).as(coturn.log()).isEqualTo(4);
            client.send(peerAddress, bytes("bind"));
            client.await(AllocationEvent.ChannelBound.class, e -> true, AWAIT_MS);

            long until = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < until) {
                client.cycle();
            }
            client.send(peerAddress, bytes("still relayed"));

            assertThat(text(receive(peer))).isEqualTo("still relayed");
            assertThat(client.events).noneMatch(e -> e instanceof AllocationEvent.Invalidated);
            assertThat(client.requestsSent(StunMethod.REFRESH)).isGreaterThanOrEqualTo(2);
            assertThat(client.errorsReceived(438)).isPositive();
        }
    }

    private static void exchange(Coturn coturn, AllocationConfig config) throws Exception {
        try (AllocationDriver client = new AllocationDriver(config, 1);
                DatagramSocket peer = peerSocket();
                DatagramSocket otherPort = peerSocket()) {
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();

            var allocated = client.await(AllocationEvent.RelayAllocated.class, e -> true, AWAIT_MS);
            InetSocketAddress relayed = allocated.relayed().getFirst();
            assertThat(relayed.getAddress()).as(coturn.log()).isEqualTo(LOOPBACK);
            assertThat(relayed.getPort()).isBetween(coturn.relayPortLow, coturn.relayPortHigh);
            assertThat(allocated.lifetimeSeconds()).isPositive();
            assertThat(client.allocation.serverReflexiveAddress()).isEqualTo(client.localAddress());

            assertThat(client.send(peerAddress, bytes("before the channel"))).isFalse();
            var bound = client.await(AllocationEvent.ChannelBound.class, e -> e.peer().equals(peerAddress), AWAIT_MS);
            assertThat(ChannelDataView.isValidChannel(bound.channel())).isTrue();

            for (int i = 0; i < MESSAGES; i++) {
                assertThat(client.send(peerAddress, bytes("to peer " + i))).isTrue();
            }
            for (int i = 0; i < MESSAGES; i++) {
                DatagramPacket packet = receive(peer);
                assertThat(packet.getSocketAddress()).isEqualTo(relayed);
                assertThat(text(packet)).isEqualTo("to peer " + i);
            }

            for (int i = 0; i < MESSAGES; i++) {
                peer.send(new DatagramPacket(bytes("to client " + i), ("to client " + i).length(), relayed));
            }
            List<String> received = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                var data = client.await(AllocationEvent.PeerData.class, e -> true, AWAIT_MS);
                assertThat(data.peer()).isEqualTo(peerAddress);
                received.add(new String(data.payload(), StandardCharsets.UTF_8));
            }
            assertThat(received).isEqualTo(expected("to client ", MESSAGES));
            assertThat(client.channelDataReceived()).isEqualTo(MESSAGES);

            int stunBefore = client.stunReceived();
            otherPort.send(new DatagramPacket(bytes("by indication"), "by indication".length(), relayed));
            var indicated = client.await(AllocationEvent.PeerData.class, e -> true, AWAIT_MS);
            assertThat(indicated.peer()).isEqualTo(otherPort.getLocalSocketAddress());
            assertThat(indicated.payload()).isEqualTo(bytes("by indication"));
            assertThat(client.stunReceived()).isEqualTo(stunBefore + 1);
            assertThat(client.channelDataReceived()).isEqualTo(MESSAGES);

            int refreshesBefore = client.requestsSent(StunMethod.REFRESH);
            client.allocation.close(System.nanoTime());
            client.runUntil(() -> client.successesReceived(StunMethod.REFRESH) == 1, "REFRESH 0 answered", AWAIT_MS);
            assertThat(client.requestsSent(StunMethod.REFRESH)).isEqualTo(refreshesBefore + 1);
            assertThat(client.allocation.pollTimeout().deadlineNs()).isEqualTo(Long.MAX_VALUE);
        }
    }

    private static DatagramSocket peerSocket() throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout((int) AWAIT_MS);
        return socket;
    }

    private static DatagramPacket receive(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
        socket.receive(packet);
        return packet;
    }

    private static String text(DatagramPacket packet) {
        return new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> expected(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    /** coturn's use-auth-secret password: base64(HMAC-SHA1(secret, username)). */
    private static String restPassword(String secret, String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }
}
