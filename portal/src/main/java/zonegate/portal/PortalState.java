package zonegate.portal;

import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import zonegate.controlplane.Frame;
import zonegate.portal.internal.PortalCore;

/**
 * The portal as a sans-IO state machine: who is connected, what each gateway and client has been told,
 * which gateway serves which client, and the material minted for each of their connections.
 *
 * <p>The transport authenticates each socket ({@link PortalPolicy#identify}) and then feeds the state:
 * {@link #connect} once, {@link #onFrame} per decoded frame, {@link #onWritten} once per frame it wrote,
 * {@link #disconnect} when the peer's socket closed. After every input it drains {@link #pollOutput()}
 * and writes each {@link PortalOutput.Send} to its session's socket or closes it
 * ({@link PortalOutput.Close}); it calls {@link #handleTimeout} at {@link #pollTimeout()}.
 *
 * <pre>{@code
 * PortalState state = new PortalState(policy, PortalStateConfig.DEFAULT, new SecureRandom(),
 *         () -> System.currentTimeMillis() / 1000, System.nanoTime());
 * state.connect(id, Role.GATEWAY, "gw-1", publicKey, List.of(), System.nanoTime());
 * for (PortalOutput out; (out = state.pollOutput()) != null; ) { ... }
 * }</pre>
 *
 * <p>What it does, in short: a {@code phx_join} is answered ok and followed by the role's {@code init};
 * heartbeats are answered; a peer silent for more than three heartbeat intervals is closed (4003); a
 * second socket of one identity replaces the first (4002). A relay's {@code stamp_secret} makes it
 * available: every gateway and client gets it in a {@code relays_presence} with TURN REST credentials
 * minted for it ({@code expiry:name}), renewed at half their lifetime, withdrawn when the relay goes. A
 * client's {@code request_authorization} picks a gateway of the resource's site, sends it a
 * {@code create_authorization} and, on its answer, gives the client the access. Candidates are forwarded
 * between the two sides of a connection. {@link #reload} and passing expiries tell each peer what
 * changed for it.
 *
 * <p>Bounds: at most {@link PortalStateConfig#maxSessions()} sessions and
 * {@link PortalStateConfig#maxQueuedFrames()} unwritten frames per session ({@link PortalCounters}). Not
 * thread-safe: one thread, or one lock around every call. Time never goes backwards (an earlier
 * {@code nowNs} is a programming error).
 */
public final class PortalState {
    private final PortalCore core;

    /**
     * @param policy the policy to start with
     * @param config timers and bounds
     * @param random the source of preshared keys and ICE credentials (a {@code SecureRandom} in production)
     * @param unixSeconds the wall clock, for expiries in Unix seconds (policies, TURN credentials)
     * @param nowNs the monotonic time now
     */
    public PortalState(PortalPolicy policy, PortalStateConfig config, RandomGenerator random, LongSupplier unixSeconds,
            long nowNs) {
        this.core = new PortalCore(Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(random, "random"), Objects.requireNonNull(unixSeconds, "unixSeconds"), nowNs);
    }

    /**
     * An authenticated socket opened.
     *
     * @param identity the configured name its token matched
     * @param publicKeyOrNull its WireGuard public key (base64; required for gateways and clients, null for relays)
     * @param relayAddresses a relay's public TURN addresses ({@code ip:port}, {@code [ip]:port}); empty otherwise
     */
    public void connect(SessionId session, Role role, String identity, String publicKeyOrNull,
            List<String> relayAddresses, long nowNs) {
        core.connect(session, role, identity, publicKeyOrNull, relayAddresses, nowNs);
    }

    /** A frame from the session, decoded with its role's {@link Role#fromPeer()} direction. */
    public void onFrame(SessionId session, Frame frame, long nowNs) {
        core.onFrame(session, frame, nowNs);
    }

    /** The transport wrote one frame of this session's to its socket (frees a place in its bound). */
    public void onWritten(SessionId session) {
        core.onWritten(session);
    }

    /** The session's socket closed (by the peer or the network). Unknown sessions are ignored. */
    public void disconnect(SessionId session, long nowNs) {
        core.disconnect(session, nowNs);
    }

    /** Replaces the policy; peers are told only what changed for them. */
    public void reload(PortalPolicy policy, long nowNs) {
        core.reload(Objects.requireNonNull(policy, "policy"), nowNs);
    }

    /** Runs what is due: heartbeat timeouts, unanswered authorisations, credential renewals, expiries. */
    public void handleTimeout(long nowNs) {
        core.handleTimeout(nowNs);
    }

    /** The next output, or null. */
    public PortalOutput pollOutput() {
        return core.pollOutput();
    }

    /** The earliest deadline in ns at which {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        return core.pollTimeout();
    }

    /** The policy in force. */
    public PortalPolicy policy() {
        return core.policy();
    }

    /** The counters now. */
    public PortalCounters counters() {
        return core.counters();
    }
}
