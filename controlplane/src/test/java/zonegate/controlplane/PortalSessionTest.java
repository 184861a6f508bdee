package zonegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import zonegate.controlplane.PortalSession.Command;
import zonegate.controlplane.PortalSession.State;

class PortalSessionTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final long INTERVAL = 10 * S;
    private static final PortalClientConfig CONFIG = PortalClientConfig.of(URI.create("ws://portal:8080"), "gateway",
            "t", Map.of());

    /** Always the largest delay the backoff allows, so its ceiling can be read off. */
    private static final class LargestDelay implements RandomGenerator {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    }

    private PortalSession session = new PortalSession(CONFIG, 1024, new SplittableRandom(1), 0);
    private long connection;

    @Test
    void connectsAtOnceAndSendsTheJoinWithRefOneOnOpen() {
        assertThat(session.pollTimeout()).isZero();
        session.handleTimeout(0);
        assertThat(commands()).containsExactly(new Command.Connect(1));

        session.onOpen(1, 5 * MS);

        assertThat(commands()).containsExactly(send(1, "gateway", "1", new PortalMessage.Join()));
        assertThat(session.state()).isEqualTo(new State.Joining(1));
    }

    @Test
    void theJoinReplyConnectsAndReleasesWhatWasQueued() {
        PortalMessage noRelays = new PortalMessage.NoRelays();
        session.send(noRelays, 0);
        open(0);

        session.onText(connection, reply("1", true, null), MS);

        assertThat(events()).containsExactly(new PortalEvent.Connected());
        assertThat(commands()).containsExactly(send(connection, "gateway", "2", noRelays));
    }

    @Test
    void framesOtherThanRepliesReachTheHost() {
        joined(0);
        Frame removed = new Frame("gateway", null, new PortalMessage.RejectAccess("c1", "r1"));

        session.onText(connection, PortalCodec.encode(removed), MS);

        assertThat(events()).containsExactly(new PortalEvent.Message(removed));
    }

    @Test
    void heartbeatsGoOutEveryIntervalOnTopicPhoenixWithFreshRefs() {
        joined(0);
        assertThat(session.pollTimeout()).isEqualTo(INTERVAL);

        session.handleTimeout(INTERVAL);
        assertThat(commands()).containsExactly(send(connection, "phoenix", "2", new PortalMessage.Heartbeat()));
        session.onText(connection, reply("2", true, null), INTERVAL + MS);
        session.handleTimeout(2 * INTERVAL);

        assertThat(commands()).containsExactly(send(connection, "phoenix", "3", new PortalMessage.Heartbeat()));
        assertThat(events()).isEmpty();
    }

    @Test
    void threeUnansweredHeartbeatsInARowKeepTheConnection() {
        joined(0);
        for (int k = 1; k <= 4; k++) {
            session.handleTimeout(k * INTERVAL);
        }
        session.handleTimeout(5 * INTERVAL - 1);

        assertThat(session.state()).isInstanceOf(State.Joined.class);
        assertThat(session.counters().heartbeatsMissed()).isEqualTo(3);
    }

    @Test
    void theFourthUnansweredHeartbeatDropsTheConnectionWhenTheFifthIsDue() {
        joined(0);
        for (int k = 1; k <= 4; k++) {
            session.handleTimeout(k * INTERVAL);
        }
        commands();

        session.handleTimeout(5 * INTERVAL);

        assertThat(commands()).containsExactly(new Command.Close(connection, 1000, "heartbeat timeout"));
        assertThat(events()).containsExactly(new PortalEvent.Disconnected("4 heartbeats in a row unanswered"));
        assertThat(session.state()).isInstanceOf(State.Disconnected.class);
        assertThat(session.counters().heartbeatsMissed()).isEqualTo(4);
    }

    @Test
    void aLateAnswerToAnEarlierHeartbeatEndsTheRun() {
        joined(0);
        for (int k = 1; k <= 4; k++) {
            session.handleTimeout(k * INTERVAL);
        }
        session.onText(connection, reply("3", true, null), 4 * INTERVAL + MS);

        session.handleTimeout(5 * INTERVAL);
        session.handleTimeout(6 * INTERVAL);

        assertThat(session.state()).isInstanceOf(State.Joined.class);
    }

    @Test
    void reconnectDelaysDoubleFromTheStartUpToTheCap() {
        session = new PortalSession(CONFIG, 1024, new LargestDelay(), 0);
        List<Long> delaysMs = new ArrayList<>();
        long now = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            session.handleTimeout(now);
            long c = ((Command.Connect) commands().getFirst()).connection();
            session.onFailed(c, "connection refused", now);
            long retryAt = ((State.Disconnected) session.state()).retryAtNs();
            delaysMs.add((retryAt - now) / MS);
            now = retryAt;
        }

        assertThat(delaysMs).containsExactly(250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L,
                30_000L);
    }

    @Test
    void reconnectDelaysAreFullyJitteredWithinTheirCeiling() {
        long smallestFirstNs = Long.MAX_VALUE;
        long largestFirstNs = 0;
        for (int seed = 0; seed < 200; seed++) {
            session = new PortalSession(CONFIG, 1024, new SplittableRandom(seed), 0);
            long now = 0;
            for (int attempt = 0; attempt < 12; attempt++) {
                session.handleTimeout(now);
                session.onFailed(((Command.Connect) commands().getFirst()).connection(), "refused", now);
                long delayNs = ((State.Disconnected) session.state()).retryAtNs() - now;
                assertThat(delayNs).isBetween(0L, Math.min(30 * S, (250 * MS) << attempt));
                if (attempt == 0) {
                    smallestFirstNs = Math.min(smallestFirstNs, delayNs);
                    largestFirstNs = Math.max(largestFirstNs, delayNs);
                }
                now += delayNs;
            }
        }

        assertThat(smallestFirstNs).isLessThan(25 * MS);
        assertThat(largestFirstNs).isGreaterThan(225 * MS);
    }

    @Test
    void aConnectionJoinedForThirtySecondsResetsTheBackoff() {
        session = new PortalSession(CONFIG, 1024, new LargestDelay(), 0);
        long now = failTimes(6);
        joined(now);
        keepAlive(now, now + 30 * S);

        session.onClosed(connection, 1006, "", now + 30 * S);

        assertThat(((State.Disconnected) session.state()).retryAtNs() - (now + 30 * S)).isEqualTo(250 * MS);
    }

    @Test
    void aConnectionJoinedForLessThanThirtySecondsKeepsTheBackoffGrowing() {
        session = new PortalSession(CONFIG, 1024, new LargestDelay(), 0);
        long now = failTimes(6);
        joined(now);
        keepAlive(now, now + 29 * S);

        session.onClosed(connection, 1006, "", now + 29 * S);

        assertThat(((State.Disconnected) session.state()).retryAtNs() - (now + 29 * S)).isEqualTo(16 * S);
    }

    @Test
    void anErrorReplyWithARefusalReasonIsTerminal() {
        open(0);

        session.onText(connection, reply(null, false, "invalid_token"), MS);
        session.onClosed(connection, 4001, "", 2 * MS);
        session.handleTimeout(3_600 * S);

        assertThat(events()).containsExactly(new PortalEvent.Refused("invalid_token"));
        assertThat(commands()).containsExactly(new Command.Close(1, 1000, ""));
        assertThat(session.state()).isEqualTo(new State.Refused("invalid_token"));
        assertThat(session.pollTimeout()).isEqualTo(PortalSession.NO_TIMEOUT);
        assertThat(session.counters().refused()).isEqualTo(1);
    }

    @Test
    void closeCode4001WithoutAReplyRefusesTheToken() {
        open(0);

        session.onClosed(connection, 4001, "", MS);

        assertThat(events()).containsExactly(new PortalEvent.Refused("invalid_token"));
    }

    @Test
    void closeCode4000RefusesTheRequest() {
        open(0);

        session.onClosed(connection, 4000, "", MS);

        assertThat(events()).containsExactly(new PortalEvent.Refused("bad_request"));
    }

    @Test
    void anErrorJoinReplyForAnotherReasonReconnects() {
        open(0);

        session.onText(connection, reply("1", false, "unmatched topic"), MS);

        assertThat(events()).containsExactly(new PortalEvent.Disconnected("join refused: unmatched topic"));
        assertThat(session.state()).isInstanceOf(State.Disconnected.class);
    }

    @Test
    void beingReplacedReconnectsAfterABackoffWithRefsFromOneAgain() {
        joined(0);

        session.onClosed(connection, 4002, "replaced", MS);
        long retryAt = ((State.Disconnected) session.state()).retryAtNs();
        session.handleTimeout(retryAt);
        session.onOpen(2, retryAt);

        assertThat(events()).containsExactly(
                new PortalEvent.Disconnected("replaced by a newer connection of the same identity"));
        assertThat(retryAt).isBetween(MS, MS + 250 * MS);
        assertThat(commands()).containsExactly(new Command.Connect(2),
                send(2, "gateway", "1", new PortalMessage.Join()));
    }

    @Test
    void theQueueKeepsTheNewestAndCountsTheDropped() {
        session = new PortalSession(CONFIG, 3, new SplittableRandom(1), 0);
        for (int i = 0; i < 5; i++) {
            session.send(new PortalMessage.InvalidateIceCandidates("c" + i, List.of()), 0);
        }
        joined(0);

        assertThat(commands()).containsExactly(
                send(connection, "gateway", "2", new PortalMessage.InvalidateIceCandidates("c2", List.of())),
                send(connection, "gateway", "3", new PortalMessage.InvalidateIceCandidates("c3", List.of())),
                send(connection, "gateway", "4", new PortalMessage.InvalidateIceCandidates("c4", List.of())));
        assertThat(session.counters().queueDrops()).isEqualTo(2);
    }

    @Test
    void requestsWithARefAreRefusedWhileNotJoined() {
        open(0);

        assertThat(session.sendWithRef(new PortalMessage.NoRelays(), MS)).isNull();
        assertThat(session.reply("9", new PortalMessage.AuthorizationCreated(), MS)).isFalse();
        assertThat(session.queued()).isZero();
    }

    @Test
    void aRequestGetsTheNextRefAndAnAnswerEchoesThePortals() {
        joined(0);

        String ref = session.sendWithRef(new PortalMessage.NoRelays(), MS);
        session.reply("7", new PortalMessage.AuthorizationCreated(), MS);

        assertThat(ref).isEqualTo("2");
        assertThat(commands()).containsExactly(send(connection, "gateway", "2", new PortalMessage.NoRelays()),
                send(connection, "gateway", "7", new PortalMessage.AuthorizationCreated()));
    }

    @Test
    void unsentAnswersDieWithTheirConnection() {
        joined(0);
        session.reply("7", new PortalMessage.AuthorizationCreated(), MS);
        session.send(new PortalMessage.NoRelays(), MS);

        session.onFailed(connection, "broken pipe", 2 * MS);

        assertThat(session.queued()).isEqualTo(1);
        assertThat(session.counters().queueDrops()).isEqualTo(1);
    }

    @Test
    void callbacksOfAnEarlierConnectionAreIgnored() {
        joined(0);
        long old = connection;
        session.onFailed(old, "reset", MS);
        events();

        session.onText(old, PortalCodec.encode(new Frame("gateway", null, new PortalMessage.NoRelays())), 2 * MS);
        session.onClosed(old, 4001, "", 2 * MS);

        assertThat(events()).isEmpty();
        assertThat(session.state()).isInstanceOf(State.Disconnected.class);
    }

    @Test
    void undecodableTextsAreDroppedAndCounted() {
        joined(0);

        session.onText(connection, "{not json", MS);
        session.onText(connection, "{\"topic\":\"gateway\",\"event\":\"future_thing\",\"ref\":null,\"payload\":{}}", MS);

        assertThat(events()).isEmpty();
        assertThat(session.counters().framesDropped()).isEqualTo(2);
        assertThat(session.state()).isInstanceOf(State.Joined.class);
    }

    @Test
    void anOversizedTextDropsTheConnection() {
        joined(0);

        session.onOversizedText(connection, MS);

        assertThat(commands()).containsExactly(new Command.Close(connection, 1009, "message too big"));
        assertThat(session.state()).isInstanceOf(State.Disconnected.class);
        assertThat(session.counters().framesDropped()).isEqualTo(1);
    }

    @Test
    void aConnectionThatDoesNotOpenInTimeIsAbandoned() {
        session.handleTimeout(0);
        commands();

        session.handleTimeout(10 * S);

        assertThat(commands()).containsExactly(new Command.Close(1, 1000, "connect timeout"));
        assertThat(events()).containsExactly(new PortalEvent.Disconnected("no connection within 10000 ms"));
    }

    @Test
    void closingSendsNormalClosureAndStopsReconnecting() {
        joined(0);
        session.send(new PortalMessage.NoRelays(), MS);

        session.close(MS);
        session.handleTimeout(3_600 * S);

        assertThat(commands()).containsExactly(new Command.Close(connection, 1000, ""));
        assertThat(session.state()).isEqualTo(new State.Closed());
    }

    @Test
    void timeGoingBackwardsIsAProgrammingError() {
        session.handleTimeout(5 * S);

        assertThatThrownBy(() -> session.handleTimeout(4 * S)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers

    /** Opens the next connection at {@code nowNs}, draining the connect and the join. */
    private void open(long nowNs) {
        session.handleTimeout(nowNs);
        List<Command> connect = commands();
        connection = ((Command.Connect) connect.getLast()).connection();
        session.onOpen(connection, nowNs);
        assertThat(commands()).containsExactly(send(connection, "gateway", "1", new PortalMessage.Join()));
    }

    private void joined(long nowNs) {
        open(nowNs);
        session.onText(connection, reply("1", true, null), nowNs);
        assertThat(events()).endsWith(new PortalEvent.Connected());
    }

    /** Fails {@code n} connection attempts in a row, each as soon as it is due; returns the time after. */
    private long failTimes(int n) {
        long now = 0;
        for (int i = 0; i < n; i++) {
            session.handleTimeout(now);
            session.onFailed(((Command.Connect) commands().getFirst()).connection(), "refused", now);
            now = ((State.Disconnected) session.state()).retryAtNs();
        }
        return now;
    }

    /** Answers every heartbeat from {@code fromNs} up to {@code untilNs}. */
    private void keepAlive(long fromNs, long untilNs) {
        commands();
        for (long t = fromNs + INTERVAL; t <= untilNs; t += INTERVAL) {
            session.handleTimeout(t);
            for (Command c : commands()) {
                if (c instanceof Command.Send s && s.text().contains("heartbeat")) {
                    String ref = ((DecodeResult.Decoded) PortalCodec.decode(s.text(), Direction.FROM_GATEWAY)).frame()
                            .ref();
                    session.onText(connection, reply(ref, true, null), t);
                }
            }
        }
        events();
    }

    private List<Command> commands() {
        List<Command> out = new ArrayList<>();
        for (Command c = session.pollCommand(); c != null; c = session.pollCommand()) {
            out.add(c);
        }
        return out;
    }

    private List<PortalEvent> events() {
        List<PortalEvent> out = new ArrayList<>();
        for (PortalEvent e = session.pollEvent(); e != null; e = session.pollEvent()) {
            out.add(e);
        }
        return out;
    }

    private static Command send(long connection, String topic, String ref, PortalMessage message) {
        return new Command.Send(connection, PortalCodec.encode(new Frame(topic, ref, message)));
    }

    private static String reply(String ref, boolean ok, String reason) {
        return PortalCodec.encode(new Frame("gateway", ref, new PortalMessage.Reply(ok, reason)));
    }

}
