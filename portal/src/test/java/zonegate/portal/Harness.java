package zonegate.portal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Tokens;
import zonegate.controlplane.Wire;

/** A portal state on a manual clock with a seeded random, a small policy, and helpers to drive it. */
final class Harness {
    static final long START_UNIX = 1_700_000_000L;
    static final long SECOND_NS = 1_000_000_000L;
    static final String KEY_A = "A".repeat(43) + "=";
    static final String KEY_B = "B".repeat(43) + "=";
    static final String KEY_C = "C".repeat(43) + "=";

    final AtomicLong unix = new AtomicLong(START_UNIX);
    long nowNs = 1_000 * SECOND_NS;
    final PortalState state;
    private long nextSession = 1;

    Harness() {
        this(policy(List.of()));
    }

    Harness(PortalPolicy policy) {
        this(policy, PortalStateConfig.DEFAULT);
    }

    Harness(PortalPolicy policy, PortalStateConfig config) {
        state = new PortalState(policy, config, new SplittableRandom(7), unix::get, nowNs);
    }

    static Wire.Resource resource(String id, String address, String site) {
        return new Wire.Resource("cidr", id, id + " name", address, site, null, List.of(new Wire.Filter("tcp", 80, 80)));
    }

    /** Sites s1 (gw-a, gw-b) and s2 (gw-c), relay r1, clients alice and bob; web and files in s1, db in s2. */
    static PortalPolicy policy(List<PortalPolicy.Policy> extraPolicies) {
        List<PortalPolicy.Policy> policies = new ArrayList<>(List.of(
                new PortalPolicy.Policy("alice", "web", null),
                new PortalPolicy.Policy("alice", "db", null),
                new PortalPolicy.Policy("bob", "web", null)));
        policies.addAll(extraPolicies);
        return new PortalPolicy(
                List.of(new PortalPolicy.Site("s1", "Site one"), new PortalPolicy.Site("s2", "Site two")),
                List.of(new PortalPolicy.Gateway("gw-a", "s1", Tokens.sha256Hex("tok-gw-a")),
                        new PortalPolicy.Gateway("gw-b", "s1", Tokens.sha256Hex("tok-gw-b")),
                        new PortalPolicy.Gateway("gw-c", "s2", Tokens.sha256Hex("tok-gw-c"))),
                List.of(new PortalPolicy.Relay("r1", Tokens.sha256Hex("tok-r1"))),
                List.of(new PortalPolicy.Client("alice", Tokens.sha256Hex("tok-alice"), "100.64.0.2", "fd00:2021:1111::2"),
                        new PortalPolicy.Client("bob", Tokens.sha256Hex("tok-bob"), "100.64.0.3", "fd00:2021:1111::3")),
                List.of(resource("web", "10.0.0.0/24", "s1"), resource("files", "10.0.1.0/24", "s1"),
                        resource("db", "10.1.0.0/24", "s2")),
                policies);
    }

    SessionId connect(Role role, String identity, String key) {
        SessionId id = new SessionId(nextSession++);
        state.connect(id, role, identity, key, role == Role.RELAY ? List.of("203.0.113.9:3478") : List.of(), nowNs);
        return id;
    }

    /** Connects and joins, and drops the outputs so far. */
    SessionId joined(Role role, String identity, String key) {
        SessionId id = connect(role, identity, key);
        send(id, role.topic(), "1", new PortalMessage.Join());
        drain();
        return id;
    }

    void send(SessionId id, String topic, String ref, PortalMessage message) {
        state.onFrame(id, new Frame(topic, ref, message), nowNs);
    }

    void send(SessionId id, Role role, String ref, PortalMessage message) {
        send(id, role.topic(), ref, message);
    }

    void advanceSeconds(long seconds) {
        nowNs += seconds * SECOND_NS;
        unix.addAndGet(seconds);
        if (state.pollTimeout() <= nowNs) {
            state.handleTimeout(nowNs);
        }
    }

    List<PortalOutput> drain() {
        List<PortalOutput> out = new ArrayList<>();
        for (PortalOutput o; (o = state.pollOutput()) != null; ) {
            out.add(o);
            if (o instanceof PortalOutput.Send send) {
                state.onWritten(send.session());
            }
        }
        return out;
    }

    static List<PortalMessage> messagesTo(List<PortalOutput> outputs, SessionId id) {
        List<PortalMessage> messages = new ArrayList<>();
        for (PortalOutput o : outputs) {
            if (o instanceof PortalOutput.Send send && send.session().equals(id)) {
                messages.add(send.frame().message());
            }
        }
        return messages;
    }

    static List<Frame> framesTo(List<PortalOutput> outputs, SessionId id) {
        List<Frame> frames = new ArrayList<>();
        for (PortalOutput o : outputs) {
            if (o instanceof PortalOutput.Send send && send.session().equals(id)) {
                frames.add(send.frame());
            }
        }
        return frames;
    }

    static <T> List<T> ofType(List<PortalMessage> messages, Class<T> type) {
        return messages.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The stamp of relay r1 with a fixed secret; returns the secret. */
    byte[] stampRelay(SessionId relay) {
        byte[] secret = new byte[32];
        java.util.Arrays.fill(secret, (byte) 5);
        send(relay, Role.RELAY, "2", new PortalMessage.StampSecret(java.util.Base64.getEncoder().encodeToString(secret)));
        return secret;
    }
}
