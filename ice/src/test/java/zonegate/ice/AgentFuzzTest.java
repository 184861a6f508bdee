package zonegate.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunCredentials;
import zonegate.stun.StunMessageWriter;
import zonegate.stun.StunMethod;

/**
 * Arbitrary datagrams (random bytes, and STUN-shaped checks and answers built from the fuzz input,
 * well or badly authenticated), timeouts, candidates and end-of-candidates, fed to an agent in each
 * state (NEW, CHECKING, CONNECTED, DISCONNECTED, FAILED): nothing escapes and the outputs stay
 * bounded. The input is a script read byte by byte ({@link Script}). Replays
 * {@code src/test/resources/zonegate/ice/AgentFuzzTestInputs/<method>/}; run with {@code JAZZER_FUZZ=1}
 * to fuzz.
 */
class AgentFuzzTest {
    private static final InetSocketAddress STRANGER = Net.address("192.0.2.200", 9999);

    @FuzzTest(maxDuration = "20s")
    void arbitraryInputNeverEscapesInAnyState(byte[] data) {
        for (IceState state : IceState.values()) {
            Target target = Target.in(state);
            assertThat(target.agent.state()).isEqualTo(state);
            new Script(data, target).run();
        }
    }

    /** An agent in a given state, with what a peer would know about it. */
    record Target(IceAgent agent, IceCredentials local, IceCredentials remote, InetSocketAddress localAddress,
            InetSocketAddress peerAddress, long nowNs) {

        static Target in(IceState state) {
            if (state == IceState.CONNECTED || state == IceState.DISCONNECTED) {
                // Without idle patience the silent connection's first unanswered consent check disconnects it.
                IceConfig client = IceConfig.client().withIdleConsentTimeoutNs(0);
                Net net = Net.connectedPair(client, IceRole.CONTROLLING, IceConfig.gateway(), IceRole.CONTROLLED);
                if (state == IceState.DISCONNECTED) {
                    net.blackhole = true;
                    net.runUntil(net.nowNs + 21 * Net.S); // consent lost at ~21.8 s, failed at ~23.8 s
                }
                Peer c = net.client();
                Peer g = net.gateway();
                return new Target(c.agent, c.agent.localCredentials(), g.agent.localCredentials(), c.host, g.host,
                        net.nowNs);
            }
            Net net = new Net();
            Peer p = net.peer("lone", IceConfig.client(), IceRole.CONTROLLING, null, 1);
            IceCredentials remote = IceCredentials.random(new SplittableRandom(5));
            net.gather(p, false);
            if (state != IceState.NEW) {
                p.agent.setRemoteCredentials(remote, 0);
                p.agent.addRemoteCandidate(Candidate.host(STRANGER), 0);
            }
            net.runUntil(state == IceState.FAILED ? 40 * Net.S : 10 * Net.MS);
            if (state == IceState.FAILED) {
                p.agent.endOfRemoteCandidates(net.nowNs);
            }
            return new Target(p.agent, p.agent.localCredentials(), remote, p.host, STRANGER, net.nowNs);
        }
    }

    /** Interprets the fuzz input: each step is an opcode byte and its operands (zeros once exhausted). */
    static final class Script {
        private final byte[] data;
        private final Target t;
        private final StunMessageWriter writer = new StunMessageWriter();
        private final ByteBuffer scratch = ByteBuffer.allocate(2048);
        private int at;
        private long nowNs;
        private IceTransmit lastRequest;

        Script(byte[] data, Target target) {
            this.data = data;
            this.t = target;
            this.nowNs = target.nowNs();
        }

        void run() {
            for (int step = 0; step < 64 && at < data.length; step++) {
                switch (u8() % 6) {
                    case 0 -> input(bytes(u8() * 2));
                    case 1 -> input(request());
                    case 2 -> input(response());
                    case 3 -> {
                        nowNs += u8() * 37L * Net.MS;
                        t.agent().handleTimeout(nowNs);
                    }
                    case 4 -> {
                        if (Candidate.parse(new String(bytes(u8()), StandardCharsets.ISO_8859_1))
                                instanceof CandidateParseResult.Parsed(Candidate c)) {
                            t.agent().addRemoteCandidate(c, nowNs);
                        }
                    }
                    default -> {
                        switch (u8() % 3) {
                            case 0 -> t.agent().endOfRemoteCandidates(nowNs);
                            case 1 -> t.agent().endOfLocalCandidates(nowNs);
                            default -> t.agent().noteTraffic(nowNs);
                        }
                    }
                }
                drain();
            }
            drain();
        }

        private void input(byte[] datagram) {
            InetSocketAddress local = (u8() & 1) == 0 ? t.localAddress() : STRANGER;
            InetSocketAddress from = (u8() & 1) == 0 ? t.peerAddress() : STRANGER;
            ByteBuffer buffer = ByteBuffer.wrap(datagram);
            t.agent().handleInput(local, from, buffer, nowNs);
            assertThat(buffer.position()).isZero();
        }

        private byte[] request() {
            int flags = u8();
            writer.begin(scratch, 0, scratch.capacity(), StunMethod.BINDING.type(StunClass.REQUEST), u8(), u8());
            String username = (flags & 1) != 0 ? t.local().ufrag() + ":" + t.remote().ufrag()
                    : new String(bytes(u8() % 24), StandardCharsets.ISO_8859_1);
            writer.addText(StunAttributeType.USERNAME, username);
            if ((flags & 2) != 0) {
                writer.addPriority(u8() << 24 | u8());
            }
            long tieBreaker = (long) u8() << 56 | u8();
            switch ((flags >> 2) & 3) {
                case 0 -> writer.addIceControlling(tieBreaker);
                case 1 -> writer.addIceControlled(tieBreaker);
                case 2 -> writer.addIceControlling(tieBreaker).addIceControlled(tieBreaker);
                default -> { }
            }
            if ((flags & 16) != 0) {
                writer.addUseCandidate();
            }
            if ((flags & 32) != 0) {
                int type = u8() << 8 | u8();
                boolean last = type == StunAttributeType.MESSAGE_INTEGRITY || type == StunAttributeType.FINGERPRINT
                        || type == StunAttributeType.MESSAGE_INTEGRITY_SHA256;
                writer.add(last ? type ^ 0x4000 : type, bytes(u8() % 16)); // the writer keeps those last
            }
            return sign(flags >> 6, t.local().password());
        }

        private byte[] response() {
            if (lastRequest == null) {
                return bytes(u8());
            }
            int flags = u8();
            ByteBuffer request = lastRequest.payload().duplicate();
            int idHigh = request.getInt(8);
            long idLow = request.getLong(12);
            boolean error = (flags & 1) != 0;
            writer.begin(scratch, 0, scratch.capacity(),
                    StunMethod.BINDING.type(error ? StunClass.ERROR_RESPONSE : StunClass.SUCCESS_RESPONSE), idHigh, idLow);
            if (error) {
                writer.addErrorCode((flags & 2) != 0 ? 487 : 300 + u8(), "fuzz");
            } else if ((flags & 2) != 0) {
                writer.addAddress(StunAttributeType.XOR_MAPPED_ADDRESS,
                        (flags & 4) != 0 ? lastRequest.source() : STRANGER);
            }
            return sign(flags >> 6, t.remote().password());
        }

        private byte[] sign(int how, String password) {
            switch (how) {
                case 0, 1 -> writer.addMessageIntegrity(StunCredentials.shortTermKey(password));
                case 2 -> writer.addMessageIntegrity(bytes(u8() % 32));
                default -> { }
            }
            int length = writer.addFingerprint().finish();
            return java.util.Arrays.copyOf(scratch.array(), length);
        }

        private void drain() {
            int transmits = 0;
            for (IceTransmit x = t.agent().pollTransmit(); x != null; x = t.agent().pollTransmit()) {
                transmits++;
                if (Stun.isStun(StunClass.REQUEST, x.payload())) {
                    lastRequest = x;
                }
            }
            while (t.agent().pollEvent() != null) {
                transmits++;
            }
            assertThat(transmits).isLessThanOrEqualTo(2 * 256);
            IceTimeout timeout = t.agent().pollTimeout();
            if (timeout != null && timeout.deadlineNs() <= nowNs) {
                t.agent().handleTimeout(nowNs);
            }
        }

        private int u8() {
            return at < data.length ? data[at++] & 0xFF : 0;
        }

        private byte[] bytes(int n) {
            int count = Math.min(n, data.length - at);
            byte[] out = java.util.Arrays.copyOfRange(data, at, at + count);
            at += count;
            return out;
        }
    }
}
