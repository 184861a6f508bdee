package zonegate.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.ice.Net.MS;
import static zonegate.ice.Net.S;

import org.junit.jupiter.api.Test;

/** The connected phase: consent and keepalive intervals, disconnection, the grace period, recovery. */
class ConsentTest {

    private static Net connected() {
        Net net = Net.connectedPair(IceConfig.client(), IceRole.CONTROLLING, IceConfig.gateway(), IceRole.CONTROLLED);
        assertThat(net.client().agent.state()).isEqualTo(IceState.CONNECTED);
        assertThat(net.gateway().agent.state()).isEqualTo(IceState.CONNECTED);
        return net;
    }

    @Test
    void idleAfter20sWithoutTrafficConsentGoesEvery25sInsteadOf5s() {
        Net net = connected();
        Peer client = net.client();
        long t0 = client.enteredAt(IceState.CONNECTED);

        net.runUntil(t0 + 100 * S);

        assertThat(client.sentAt(Stun.Kind.CHECK).stream().filter(t -> t > t0).toList()).containsExactly(
                t0 + 5 * S, t0 + 10 * S, t0 + 15 * S, t0 + 40 * S, t0 + 65 * S, t0 + 90 * S);
    }

    @Test
    void whileTrafficFlowsConsentGoesEvery5s() {
        Net net = connected();
        Peer client = net.client();
        long t0 = client.enteredAt(IceState.CONNECTED);

        for (int s = 1; s <= 60; s++) {
            net.runUntil(t0 + s * S - MS);
            client.agent.noteTraffic(net.nowNs);
        }
        net.runUntil(t0 + 60 * S);

        assertThat(client.sentAt(Stun.Kind.CHECK).stream().filter(t -> t > t0).toList()).hasSize(12)
                .allMatch(t -> (t - t0) % (5 * S) == 0);
    }

    /** Runs to {@code untilNs} with traffic crossing {@code peer}'s selected pair every second. */
    private static void runWithTraffic(Net net, Peer peer, long untilNs) {
        for (long t = net.nowNs + S; t < untilNs; t += S) {
            net.runUntil(t);
            peer.agent.noteTraffic(net.nowNs);
        }
        net.runUntil(untilNs);
    }

    @Test
    void clientUnansweredConsentDisconnectsAfter16750msAndFailsAfterTheTwoSecondGrace() {
        Net net = connected();
        Peer client = net.client();
        long t0 = client.enteredAt(IceState.CONNECTED);
        net.runUntil(t0 + S);
        net.blackhole = true;

        runWithTraffic(net, client, t0 + 60 * S);

        assertThat(client.enteredAt(IceState.DISCONNECTED)).isEqualTo(t0 + 5 * S + 16750 * MS);
        assertThat(client.enteredAt(IceState.FAILED)).isEqualTo(t0 + 5 * S + 16750 * MS + 2 * S);
        assertThat(client.eventsOf(IceEvent.Failed.class)).containsExactly(new IceEvent.Failed(IceFailure.CONSENT_LOST));
    }

    @Test
    void gatewayUnansweredConsentDisconnectsAfter14875ms() {
        Net net = connected();
        Peer gateway = net.gateway();
        long t0 = gateway.enteredAt(IceState.CONNECTED);
        net.runUntil(t0 + S);
        net.blackhole = true;

        net.runUntil(t0 + 60 * S);

        assertThat(gateway.enteredAt(IceState.DISCONNECTED)).isEqualTo(t0 + 5 * S + 14875 * MS);
        assertThat(gateway.enteredAt(IceState.FAILED)).isEqualTo(t0 + 5 * S + 14875 * MS + 2 * S);
    }

    @Test
    void anAnswerWithinTheGraceReconnects() {
        // The gateway gets a long grace so that it is still there to answer when the path heals.
        Net net = Net.connectedPair(IceConfig.client(), IceRole.CONTROLLING,
                IceConfig.gateway().withDisconnectGraceNs(60 * S), IceRole.CONTROLLED);
        Peer client = net.client();
        long t0 = client.enteredAt(IceState.CONNECTED);
        net.runUntil(t0 + S);
        net.blackhole = true;
        long disconnectedAt = t0 + 5 * S + 16750 * MS;
        runWithTraffic(net, client, disconnectedAt + S);
        assertThat(client.agent.state()).isEqualTo(IceState.DISCONNECTED);

        net.blackhole = false;
        net.runUntil(disconnectedAt + 10 * S);

        assertThat(client.agent.state()).isEqualTo(IceState.CONNECTED);
        assertThat(client.eventsOf(IceEvent.StateChanged.class))
                .contains(new IceEvent.StateChanged(IceState.DISCONNECTED, IceState.CONNECTED));
        assertThat(client.eventsOf(IceEvent.Failed.class)).isEmpty();
    }

    @Test
    void anIdleClientKeepsConsentThroughAnOutageShorterThanTheIdleConsentTimeout() {
        // The gateway gets a long grace so that it is still there to answer when the path heals.
        Net net = Net.connectedPair(IceConfig.client(), IceRole.CONTROLLING,
                IceConfig.gateway().withDisconnectGraceNs(600 * S), IceRole.CONTROLLED);
        Peer client = net.client();
        long t0 = client.enteredAt(IceState.CONNECTED);
        net.runUntil(t0 + S);
        net.blackhole = true;
        net.runUntil(t0 + 40 * S); // the check sent at t0 + 5 s timed out at t0 + 21.75 s, idle by then
        net.blackhole = false;

        net.runUntil(t0 + 60 * S);

        assertThat(client.agent.state()).isEqualTo(IceState.CONNECTED);
        assertThat(client.eventsOf(IceEvent.StateChanged.class)).doesNotContain(
                new IceEvent.StateChanged(IceState.CONNECTED, IceState.DISCONNECTED));
        assertThat(client.eventsOf(IceEvent.Failed.class)).isEmpty();
    }

    @Test
    void anIdleClientLosesConsentAtTheFirstUnansweredCheckEnding100sAfterTheLastAnswer() {
        Net net = connected();
        Peer client = net.client();
        long t0 = client.enteredAt(IceState.CONNECTED);
        net.runUntil(t0 + S);
        net.blackhole = true;

        net.runUntil(t0 + 200 * S);

        // Checks at t0 + 5 s, then (at once: the 5 s interval was due) 21.75 s, then every 25 s: 46.75, 71.75 and
        // 96.75 s. All but the last time out within 100 s of the last answer (t0); that one disconnects.
        assertThat(client.enteredAt(IceState.DISCONNECTED)).isEqualTo(t0 + 96750 * MS + 16750 * MS);
        assertThat(client.enteredAt(IceState.FAILED)).isEqualTo(t0 + 96750 * MS + 16750 * MS + 2 * S);
        assertThat(client.eventsOf(IceEvent.Failed.class)).containsExactly(new IceEvent.Failed(IceFailure.CONSENT_LOST));
    }
}
