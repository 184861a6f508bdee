package zonegate.tunnel.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zonegate.ice.Candidate;
import zonegate.ice.CandidateParseResult;
import zonegate.ice.IceCredentials;
import zonegate.ice.IceEvent;
import zonegate.ice.IceRole;
import zonegate.ice.SelectedPair;

/**
 * Our ICE agent against aioice (Debian's python3-aioice, run with /usr/bin/python3) on loopback,
 * candidates exchanged as SDP {@code candidate:} lines inside JSON lines on aioice's stdin/stdout. In
 * both roles: with host candidates, and with our relayed candidate only, through an allocation our TURN
 * client makes on coturn's turnserver. Data then flows both ways over the nominated pair.
 */
@Timeout(60)
class AioiceInteropTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void connectsAsControllingWithHostCandidates() throws Exception {
        connectAndExchange(IceRole.CONTROLLING, false);
    }

    @Test
    void connectsAsControlledWithHostCandidates() throws Exception {
        connectAndExchange(IceRole.CONTROLLED, false);
    }

    @Test
    void connectsAsControllingThroughCoturn() throws Exception {
        connectAndExchange(IceRole.CONTROLLING, true);
    }

    @Test
    void connectsAsControlledThroughCoturn() throws Exception {
        connectAndExchange(IceRole.CONTROLLED, true);
    }

    private static void connectAndExchange(IceRole role, boolean relayed) throws Exception {
        InteropRequirement.require(InteropRequirement.PYTHON, "apt-get install python3");
        InteropRequirement.require(InteropRequirement.AIOICE, "apt-get install python3-aioice");
        if (relayed) {
            InteropRequirement.require(InteropRequirement.TURNSERVER, "apt-get install coturn");
        }
        String peerRole = role == IceRole.CONTROLLING ? "controlled" : "controlling";
        try (CoturnServer coturn = relayed ? CoturnServer.start() : null;
             AioicePeer peer = AioicePeer.start(List.of("--role", peerRole, "--echo"));
             IceEndpoint ours = relayed ? IceEndpoint.relayedOnly(role, coturn.address()) : IceEndpoint.direct(role)) {
            Session session = new Session(peer, ours);
            try {
                session.connect();
                session.assertPair(relayed);
                session.exchangeData();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + peer.transcript()
                        + (coturn != null ? "\n--- turnserver\n" + coturn.log() : ""), e);
            }
        }
    }

    /** One connection attempt: signalling between our endpoint and the aioice peer, and the checks. */
    private static final class Session {
        private final AioicePeer peer;
        private final IceEndpoint ours;
        private int eventsSeen;
        private Map<String, String> peerConnected;

        Session(AioicePeer peer, IceEndpoint ours) {
            this.peer = peer;
            this.ours = ours;
        }

        void connect() throws Exception {
            IceCredentials local = ours.agent().localCredentials();
            peer.send("type", "credentials", "ufrag", local.ufrag(), "pwd", local.password());
            long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
            while (peerConnected == null || ours.agent().selectedPair().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    fail("not connected within " + CONNECT_TIMEOUT + "; our events: " + ours.events());
                }
                ours.step(5);
                signalOurCandidates();
                for (Map<String, String> line; (line = peer.poll(Duration.ZERO)) != null; ) {
                    onPeerLine(line);
                }
            }
        }

        private void signalOurCandidates() throws Exception {
            List<IceEvent> events = ours.events();
            for (; eventsSeen < events.size(); eventsSeen++) {
                switch (events.get(eventsSeen)) {
                    case IceEvent.LocalCandidateGathered(Candidate candidate) -> {
                        // Each endpoint has exactly one local candidate: it is also the end of them.
                        peer.send("type", "candidate", "sdp", candidate.toSdpAttribute());
                        peer.send("type", "end");
                    }
                    case IceEvent.Failed failed -> fail("our agent failed: " + failed);
                    default -> { }
                }
            }
        }

        private void onPeerLine(Map<String, String> line) {
            long nowNs = System.nanoTime();
            switch (line.get("type")) {
                case "credentials" -> ours.agent().setRemoteCredentials(new IceCredentials(line.get("ufrag"), line.get("pwd")), nowNs);
                case "candidate" -> {
                    if (!(Candidate.parse(line.get("sdp")) instanceof CandidateParseResult.Parsed(Candidate candidate))) {
                        throw new AssertionError("aioice's candidate refused: " + Candidate.parse(line.get("sdp")));
                    }
                    ours.agent().addRemoteCandidate(candidate, nowNs);
                }
                case "end" -> ours.agent().endOfRemoteCandidates(nowNs);
                case "connected" -> peerConnected = line;
                case "failed" -> fail("aioice failed: " + line);
                default -> { }
            }
        }

        void assertPair(boolean relayed) {
            SelectedPair pair = ours.agent().selectedPair().orElseThrow();
            assertEquals(relayed, pair.localRelayed(), () -> "nominated " + pair);
            assertEquals(peerConnected.get("local"), format(pair.remote().address().getAddress().getHostAddress(),
                    pair.remoteAddress().getPort()), "our remote is aioice's local");
            assertEquals(peerConnected.get("remote"), format(pair.localAddress().getAddress().getHostAddress(),
                    pair.localAddress().getPort()), "aioice's remote is our local (the relayed address when relayed)");
            assertTrue(ours.events().stream().anyMatch(e -> e instanceof IceEvent.PairNominated), "PairNominated event");
        }

        void exchangeData() throws Exception {
            byte[] ping = "zonegate -> aioice -> zonegate".getBytes(StandardCharsets.US_ASCII);
            ours.sendOverSelectedPair(ping);
            byte[] echo = awaitData(0);
            assertArrayEquals(ping, echo, "aioice echoed our datagram over the nominated pair");
            byte[] hello = "aioice -> zonegate".getBytes(StandardCharsets.US_ASCII);
            peer.send("type", "send", "hex", HEX.formatHex(hello));
            assertArrayEquals(hello, awaitData(1), "aioice's own datagram reached us over the nominated pair");
        }

        private byte[] awaitData(int index) throws Exception {
            List<Map<String, String>> ignored = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (ours.data().size() <= index) {
                if (System.nanoTime() > deadline) {
                    fail("no datagram " + index + " from aioice; its lines: " + ignored);
                }
                ours.step(5);
                for (Map<String, String> line; (line = peer.poll(Duration.ZERO)) != null; ) {
                    ignored.add(line);
                }
            }
            return ours.data().get(index);
        }

        private static String format(String host, int port) {
            return host + ":" + port;
        }
    }
}
