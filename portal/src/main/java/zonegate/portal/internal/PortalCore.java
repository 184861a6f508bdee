package zonegate.portal.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;
import zonegate.portal.PortalCounters;
import zonegate.portal.PortalOutput;
import zonegate.portal.PortalPolicy;
import zonegate.portal.PortalStateConfig;
import zonegate.portal.Role;
import zonegate.portal.SessionId;

/**
 * The portal's state behind {@link zonegate.portal.PortalState}: sessions, joins and inits, heartbeats,
 * relays, and the timers; authorisations are {@link Authorizations}', policy changes {@link Reconciler}'s.
 * Single-threaded.
 */
public final class PortalCore {
    static final int CLOSE_CREDENTIALS = 4001;
    static final int CLOSE_REPLACED = 4002;
    static final int CLOSE_HEARTBEAT = 4003;
    static final int CLOSE_TOO_SLOW = 4004;
    static final int CLOSE_TOO_MANY = 4005;
    static final int CLOSE_RECONFIGURED = 1012;
    static final String HEARTBEAT_TOPIC = "phoenix";

    final PortalStateConfig config;
    final LongSupplier unixSeconds;
    final Minting minting;
    final Outbox outbox;
    final Relays relays;
    final TunnelAddresses addresses = new TunnelAddresses();
    final Map<SessionId, Session> sessions = new LinkedHashMap<>();
    final Map<Role, Map<String, Session>> byIdentity = new EnumMap<>(Role.class);
    final Authorizations authorizations;
    final Reconciler reconciler;
    PortalPolicy policy;
    GrantView view;
    long lastNowNs = Long.MIN_VALUE;
    /** Monotonic time at which the view's next expiry passes (from the wall clock at the last input). */
    long nextExpiryNs = Long.MAX_VALUE;
    long refusedTooMany;
    long closedTooSlow;
    long closedHeartbeat;
    long ignoredFrames;

    public PortalCore(PortalPolicy policy, PortalStateConfig config, RandomGenerator random, LongSupplier unixSeconds,
            long nowNs) {
        this.config = config;
        this.unixSeconds = unixSeconds;
        this.minting = new Minting(random);
        this.outbox = new Outbox(config.maxQueuedFrames());
        this.relays = new Relays(config.relayCredentialLifetimeSeconds());
        for (Role role : Role.values()) {
            byIdentity.put(role, new HashMap<>());
        }
        this.authorizations = new Authorizations(this);
        this.reconciler = new Reconciler(this);
        this.policy = policy;
        this.lastNowNs = nowNs;
        this.view = GrantView.of(policy, unixSeconds.getAsLong());
        scheduleExpiry(nowNs);
    }

    // ---- inputs

    public void connect(SessionId id, Role role, String identity, String publicKey, List<String> relayAddresses,
            long nowNs) {
        advance(nowNs);
        if (role != Role.RELAY && publicKey == null) {
            throw new IllegalArgumentException(role + " " + identity + " connected without a public key");
        }
        Session session = new Session(id, role, identity, publicKey, relayAddresses, nowNs);
        Session old = byIdentity.get(role).get(identity);
        if (old != null) {
            drop(old, CLOSE_REPLACED, "replaced", nowNs);
        }
        if (sessions.size() >= config.maxSessions()) {
            refusedTooMany++;
            Logger.warn("portal: {} {} refused: {} sessions already (most allowed)", role.topic(), identity,
                    sessions.size());
            outbox.close(session, CLOSE_TOO_MANY, "too many sessions");
            return;
        }
        sessions.put(id, session);
        byIdentity.get(role).put(identity, session);
        if (role == Role.CLIENT) {
            authorizations.clientConnected(session);
        }
        Logger.info("portal: {} connected {}={}", role.topic(), idField(role), identity);
        afterInput();
    }

    public void onFrame(SessionId id, Frame frame, long nowNs) {
        advance(nowNs);
        Session session = sessions.get(id);
        if (session == null) {
            return;
        }
        session.lastFrameNs = nowNs;
        PortalMessage message = frame.message();
        if (message instanceof PortalMessage.Heartbeat) {
            outbox.send(session, HEARTBEAT_TOPIC, frame.ref(), new PortalMessage.Reply(true, null));
        } else if (message instanceof PortalMessage.Join) {
            outbox.send(session, frame.ref(), new PortalMessage.Reply(true, null));
            session.joined = true;
            sendInit(session);
        } else if (!session.joined) {
            ignore(session, "before join", message);
        } else {
            dispatch(session, frame, nowNs);
        }
        afterInput();
    }

    public void disconnect(SessionId id, long nowNs) {
        advance(nowNs);
        Session session = sessions.get(id);
        if (session != null) {
            Logger.info("portal: {} disconnected {}={}", session.role.topic(), idField(session.role), session.identity);
            forget(session, nowNs);
        }
        afterInput();
    }

    public void onWritten(SessionId id) {
        Session session = sessions.get(id);
        if (session != null && session.queuedFrames > 0) {
            session.queuedFrames--;
        }
    }

    public void reload(PortalPolicy newPolicy, long nowNs) {
        advance(nowNs);
        reconciler.reload(newPolicy, nowNs);
        afterInput();
    }

    public void handleTimeout(long nowNs) {
        advance(nowNs);
        long silentNs = 3 * config.heartbeatIntervalNs();
        for (Session session : List.copyOf(sessions.values())) {
            if (nowNs - session.lastFrameNs > silentNs) {
                closedHeartbeat++;
                Logger.info("portal: {} {}={} silent for more than 3 heartbeats: dropped", session.role.topic(),
                        idField(session.role), session.identity);
                drop(session, CLOSE_HEARTBEAT, "heartbeat timeout", nowNs);
            }
        }
        authorizations.expirePending(nowNs);
        renewRelays(nowNs);
        if (nowNs >= nextExpiryNs) {
            reconciler.reload(policy, nowNs);
        }
        afterInput();
    }

    public PortalOutput pollOutput() {
        return outbox.poll();
    }

    public long pollTimeout() {
        long earliest = Math.min(nextExpiryNs, relays.earliestRenewalNs());
        earliest = Math.min(earliest, authorizations.earliestDeadlineNs());
        long silentNs = 3 * config.heartbeatIntervalNs();
        for (Session session : sessions.values()) {
            earliest = Math.min(earliest, session.lastFrameNs + silentNs + 1);
        }
        return earliest;
    }

    public PortalPolicy policy() {
        return policy;
    }

    public PortalCounters counters() {
        return new PortalCounters(sessions.size(), refusedTooMany, closedTooSlow, closedHeartbeat, ignoredFrames);
    }

    // ---- helpers, in call order

    private void advance(long nowNs) {
        if (nowNs < lastNowNs) {
            throw new IllegalArgumentException("time went backwards: " + nowNs + " < " + lastNowNs);
        }
        lastNowNs = nowNs;
    }

    /** Closes the session's socket and forgets it. */
    void drop(Session session, int code, String reason, long nowNs) {
        if (sessions.get(session.id) != session) {
            return;
        }
        outbox.close(session, code, reason);
        forget(session, nowNs);
    }

    private void forget(Session session, long nowNs) {
        sessions.remove(session.id);
        byIdentity.get(session.role).remove(session.identity, session);
        switch (session.role) {
            case GATEWAY -> authorizations.gatewayGone(session, nowNs);
            case CLIENT -> authorizations.clientGone(session);
            case RELAY -> {
                if (relays.remove(session)) {
                    Logger.info("portal: relay withdrawn relay={}", session.identity);
                    for (Session receiver : receivers()) {
                        outbox.send(receiver, null, new PortalMessage.RelaysPresence(List.of(session.identity), List.of()));
                    }
                }
            }
        }
    }

    private void afterInput() {
        Set<Session> slow;
        while (!(slow = outbox.takeTooSlow()).isEmpty()) {
            for (Session session : slow) {
                closedTooSlow++;
                Logger.warn("portal: {} {}={} too slow: more than {} frames unwritten, closed", session.role.topic(),
                        idField(session.role), session.identity, config.maxQueuedFrames());
                drop(session, CLOSE_TOO_SLOW, "too slow", lastNowNs);
            }
        }
    }

    void scheduleExpiry(long nowNs) {
        long next = view.nextExpiryUnixSeconds();
        if (next == Long.MAX_VALUE) {
            nextExpiryNs = Long.MAX_VALUE;
            return;
        }
        long aheadSeconds = Math.max(0, next - unixSeconds.getAsLong());
        nextExpiryNs = aheadSeconds > Long.MAX_VALUE / 2_000_000_000L ? Long.MAX_VALUE
                : nowNs + aheadSeconds * 1_000_000_000L;
    }

    private void sendInit(Session session) {
        long unixNow = unixSeconds.getAsLong();
        switch (session.role) {
            case GATEWAY -> {
                TunnelAddresses.Pair iface = gatewayAddresses(session.identity);
                outbox.send(session, null, new PortalMessage.GatewayInit(new Wire.Interface(iface.ipv4(), iface.ipv6(),
                        List.of()), relays.forReceiver(session.identity, unixNow),
                        authorizations.heldBy(session.identity)));
            }
            case CLIENT -> {
                PortalPolicy.Client client = policy.client(session.identity).orElseThrow();
                List<Wire.Resource> resources = new ArrayList<>();
                view.of(session.identity).values().forEach(g -> resources.add(g.resource()));
                outbox.send(session, null, new PortalMessage.ClientInit(new Wire.Interface(client.ipv4(), client.ipv6(),
                        List.of()), resources, relays.forReceiver(session.identity, unixNow)));
            }
            case RELAY -> outbox.send(session, null, new PortalMessage.RelayInit());
        }
    }

    TunnelAddresses.Pair gatewayAddresses(String gateway) {
        Set<InetAddress> taken = new HashSet<>();
        for (PortalPolicy.Client client : policy.clients()) {
            addIfLiteral(taken, client.ipv4());
            addIfLiteral(taken, client.ipv6());
        }
        return addresses.of(gateway, taken);
    }

    private static void addIfLiteral(Set<InetAddress> taken, String text) {
        InetAddress address = TunnelAddresses.parse(text);
        if (address != null) {
            taken.add(address);
        }
    }

    private void dispatch(Session session, Frame frame, long nowNs) {
        PortalMessage message = frame.message();
        switch (session.role) {
            case GATEWAY -> {
                if (message instanceof PortalMessage.FromGateway fromGateway) {
                    authorizations.onGateway(session, frame.ref(), fromGateway, nowNs);
                } else {
                    ignore(session, "not a gateway's message", message);
                }
            }
            case CLIENT -> {
                if (message instanceof PortalMessage.FromClient fromClient) {
                    authorizations.onClient(session, frame.ref(), fromClient, nowNs);
                } else {
                    ignore(session, "not a client's message", message);
                }
            }
            case RELAY -> {
                if (message instanceof PortalMessage.FromRelay fromRelay) {
                    onRelay(session, fromRelay, nowNs);
                } else {
                    ignore(session, "not a relay's message", message);
                }
            }
        }
    }

    private void onRelay(Session session, PortalMessage.FromRelay message, long nowNs) {
        switch (message) {
            case PortalMessage.StampSecret stamp -> {
                byte[] secret = Relays.decodeSecret(stamp.secret());
                if (secret == null) {
                    ignore(session, "secret is not 16 to 64 bytes of base64", message);
                    return;
                }
                if (session.relayAddresses.isEmpty()) {
                    ignore(session, "relay has no address", message);
                    return;
                }
                Relays.Entry entry = relays.stamp(session, secret, nowNs);
                Logger.info("portal: relay available relay={} addresses={}", session.identity, session.relayAddresses);
                announce(entry);
            }
            case PortalMessage.Join join -> ignore(session, "second join", join);
            case PortalMessage.Heartbeat heartbeat -> ignore(session, "heartbeat", heartbeat);
        }
    }

    /** Tells every receiver about the relay, with credentials minted for it. */
    private void announce(Relays.Entry entry) {
        long unixNow = unixSeconds.getAsLong();
        for (Session receiver : receivers()) {
            outbox.send(receiver, null, new PortalMessage.RelaysPresence(List.of(),
                    relays.wire(entry, receiver.identity, unixNow)));
        }
    }

    private void renewRelays(long nowNs) {
        for (Relays.Entry entry : relays.entries()) {
            if (nowNs >= entry.renewAtNs) {
                entry.renewAtNs = nowNs + relays.renewalPeriodNs();
                Logger.debug("portal: renewing credentials relay={}", entry.session.identity);
                announce(entry);
            }
        }
    }

    /** The joined gateways and clients (who are told about relays). */
    List<Session> receivers() {
        List<Session> receivers = new ArrayList<>();
        for (Session session : sessions.values()) {
            if (session.joined && session.role != Role.RELAY) {
                receivers.add(session);
            }
        }
        return receivers;
    }

    Session joined(Role role, String identity) {
        Session session = byIdentity.get(role).get(identity);
        return session != null && session.joined ? session : null;
    }

    void ignore(Session session, String why, PortalMessage message) {
        ignoredFrames++;
        Logger.debug("portal: ignored {} from {} {}={}: {}", message.event(), session.role.topic(), idField(session.role),
                session.identity, why);
    }

    static String idField(Role role) {
        return switch (role) {
            case GATEWAY -> "gid";
            case CLIENT -> "cid";
            case RELAY -> "relay";
        };
    }
}
