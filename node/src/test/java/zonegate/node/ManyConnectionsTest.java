package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.node.SimNet.MS;
import static zonegate.node.SimNet.S;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.ice.Candidate;
import zonegate.ice.IceCredentials;

/**
 * 1,000 connections on one server node: {@link Node#handleTimeout} visits only the connections whose
 * cached deadline has come, so its cost follows what is due, not how many connections exist.
 */
@ExtendWith(NoErrorLogs.class)
class ManyConnectionsTest {

    @Test
    void timeoutsVisitOnlyDueConnections() {
        SimNet net = new SimNet(50);
        Host gateway = net.host("gateway", NodeConfig.server(), null);
        Host client = net.host("client", NodeConfig.client(), null);
        SplittableRandom random = new SplittableRandom(50);
        for (int i = 0; i < 999; i++) {
            String peer = "peer-" + i;
            gateway.node.upsertConnection(peer, new ConnectionParams(SimNet.key(random).publicKey(), null,
                    IceCredentials.random(random), IceCredentials.random(random)), net.nowNs);
            // A peer behind an unreachable address: its agent keeps checking on the gateway profile's schedule.
            gateway.node.addRemoteCandidate(peer, Candidate.host(SimNet.address("198.18." + (i / 250) + "."
                    + (i % 250 + 1), 6000)), net.nowNs);
            net.runFor(3 * MS);
        }
        net.connect(client, gateway);
        assertThat(gateway.node.connectionCount()).isEqualTo(1000);

        List<Long> visitsPerCall = new ArrayList<>();
        long endNs = net.nowNs + 20 * S;
        while (net.nowNs < endNs) {
            long next = Math.max(net.nowNs, gateway.node.pollTimeout().deadlineNs());
            net.runUntil(next - 1); // everything else up to the gateway's deadline
            long before = gateway.node.count(NodeCounter.TIMEOUT_VISITS);
            net.nowNs = next;
            gateway.node.handleTimeout(next);
            visitsPerCall.add(gateway.node.count(NodeCounter.TIMEOUT_VISITS) - before);
            net.runFor(0);
        }

        assertThat(client.node.state("gateway")).isIn(ConnectionState.CONNECTED, ConnectionState.IDLE);
        assertThat(client.eventsOf(NodeEvent.StateChanged.class)).first()
                .isEqualTo(new NodeEvent.StateChanged("gateway", ConnectionState.CONNECTING, ConnectionState.CONNECTED));
        long total = visitsPerCall.stream().mapToLong(Long::longValue).sum();
        assertThat(visitsPerCall.stream().mapToLong(Long::longValue).max().orElseThrow())
                .as("most connections visited by one call").isLessThan(20);
        System.out.printf("1000 connections: %d handleTimeout calls, %d visits, at most %d in one call%n",
                visitsPerCall.size(), total, visitsPerCall.stream().mapToLong(Long::longValue).max().orElseThrow());
        assertThat(total).as("visits over %d calls", visitsPerCall.size())
                .isLessThan(visitsPerCall.size() * 5L);
    }
}
