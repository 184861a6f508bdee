package zonegate.bench.ice;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import zonegate.ice.Candidate;
import zonegate.ice.IceAgent;
import zonegate.ice.IceConfig;
import zonegate.ice.IceCredentials;
import zonegate.ice.IceRole;
import zonegate.ice.IceTimeout;
import zonegate.ice.IceTransmit;

/**
 * Time to nomination of two zonegate ICE agents with host candidates on loopback: a client-profile
 * controlling agent and a gateway-profile controlled agent, each with one UDP socket on 127.0.0.1,
 * driven by one thread. The clock starts when each agent is given the other's credentials and
 * candidates (with end-of-candidates) and stops when both have a nominated pair — the same span
 * {@code aioice_nomination.py} measures for aioice. Not a JMH benchmark: one nomination is one sample.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar zonegate.bench.ice.IceNomination [runs] [warmup]}
 * prints one line per run and {@code zonegate runs=N median_ms=X p90_ms=Y min_ms=Z first_ms=W}, where
 * first is the very first (cold JVM) run.
 */
public final class IceNomination {
    private IceNomination() {
    }

    public static void main(String[] args) throws IOException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        double first = oneRun();
        for (int i = 1; i < warmup; i++) {
            oneRun();
        }
        double[] results = new double[runs];
        for (int run = 0; run < runs; run++) {
            results[run] = oneRun();
            System.out.printf("run %d %.3f%n", run, results[run]);
        }
        Arrays.sort(results);
        double median = runs % 2 == 1 ? results[runs / 2] : (results[runs / 2 - 1] + results[runs / 2]) / 2;
        System.out.printf("zonegate runs=%d median_ms=%.3f p90_ms=%.3f min_ms=%.3f first_ms=%.3f%n",
                runs, median, results[Math.min(runs - 1, (int) (runs * 0.9))], results[0], first);
    }

    private static double oneRun() throws IOException {
        SplittableRandom random = new SplittableRandom();
        try (Selector selector = Selector.open();
             Side controlling = new Side(IceConfig.client(), IceRole.CONTROLLING, random, selector);
             Side controlled = new Side(IceConfig.gateway(), IceRole.CONTROLLED, random, selector)) {
            long startNs = System.nanoTime();
            controlling.learn(controlled, startNs);
            controlled.learn(controlling, startNs);
            while (true) {
                long nowNs = System.nanoTime();
                if (nowNs - startNs > TimeUnit.SECONDS.toNanos(30)) {
                    throw new IllegalStateException("no nomination within 30 s: " + controlling.agent.state()
                            + " / " + controlled.agent.state());
                }
                controlling.step(nowNs);
                controlled.step(nowNs);
                if (controlling.agent.selectedPair().isPresent() && controlled.agent.selectedPair().isPresent()) {
                    return (System.nanoTime() - startNs) / 1e6;
                }
                long waitNs = Math.min(controlling.waitNs(nowNs), controlled.waitNs(nowNs));
                selector.selectedKeys().clear();
                if (waitNs > 0) {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNs)));
                }
            }
        }
    }

    /** One agent and its socket. */
    private static final class Side implements AutoCloseable {
        private final DatagramChannel channel;
        private final InetSocketAddress address;
        private final IceAgent agent;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(2048);

        Side(IceConfig config, IceRole role, SplittableRandom random, Selector selector) throws IOException {
            channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            address = (InetSocketAddress) channel.getLocalAddress();
            long nowNs = System.nanoTime();
            agent = new IceAgent(config, role, IceCredentials.random(random), random, nowNs);
            agent.addLocalCandidate(Candidate.host(address), nowNs);
            agent.endOfLocalCandidates(nowNs);
        }

        void learn(Side other, long nowNs) {
            agent.setRemoteCredentials(other.agent.localCredentials(), nowNs);
            other.agent.localCandidates().forEach(candidate -> agent.addRemoteCandidate(candidate, nowNs));
            agent.endOfRemoteCandidates(nowNs);
        }

        void step(long nowNs) throws IOException {
            for (SocketAddress from; (from = channel.receive(buffer.clear())) != null; ) {
                agent.handleInput(address, (InetSocketAddress) from, buffer.flip(), nowNs);
            }
            IceTimeout timeout = agent.pollTimeout();
            if (timeout != null && timeout.deadlineNs() <= nowNs) {
                agent.handleTimeout(nowNs);
            }
            for (IceTransmit transmit; (transmit = agent.pollTransmit()) != null; ) {
                channel.send(transmit.payload(), transmit.destination());
            }
            while (agent.pollEvent() != null) {
                // events are not needed here: selectedPair() tells when the agent has nominated
            }
        }

        long waitNs(long nowNs) {
            IceTimeout timeout = agent.pollTimeout();
            return timeout == null ? TimeUnit.MILLISECONDS.toNanos(10) : timeout.deadlineNs() - nowNs;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
