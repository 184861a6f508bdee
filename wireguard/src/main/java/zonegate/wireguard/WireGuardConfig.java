package zonegate.wireguard;

import java.time.Duration;
import java.util.Objects;

/**
 * Every protocol constant, with the defaults of the WireGuard paper (section 6) and the reference
 * data plane. Device-wide; per-peer settings live in {@link PeerConfig}. Message counts compare
 * unsigned.
 *
 * @param rekeyAfterMessages an initiator re-keys after sending this many messages on a session (2^60)
 * @param rejectAfterMessages no message is sent or accepted with a counter at or above this
 *     (2^64 - 2^13 - 1, as an unsigned long)
 * @param rekeyAfterTimeNs the initiator of a session re-keys when sending on it after this age (120 s)
 * @param rejectAfterTimeNs sessions older than this are unusable and erased (180 s); all key material
 *     is erased 3x this after the last handshake
 * @param rekeyAttemptTimeNs default time to keep retrying a handshake before giving up (90 s; 20 s for
 *     ICE connections, see {@link PeerConfig#ICE_REKEY_ATTEMPT_TIME_NS})
 * @param rekeyTimeoutNs retransmit an unanswered initiation after this (5 s) plus jitter
 * @param rekeyTimeoutJitterMaxNs the jitter added to each retransmit, uniform in [0, this] (333 ms)
 * @param keepaliveTimeoutNs send a keepalive when data was received but nothing sent for this (10 s);
 *     start a handshake when data was sent but nothing received for this plus rekeyTimeoutNs
 * @param cookieRefreshTimeNs lifetime of the cookie secret and of a received cookie (120 s)
 * @param initiatorSendMarginNs an initiator does not send new packets on a session older than
 *     {@code rejectAfterTimeNs - initiatorSendMarginNs} (10 s, so 170 s): it re-keys first and queues,
 *     so no packet is encrypted under keys the receiver drops before it arrives. 10 s covers the
 *     longest queueing and path delay we expect and is twice REKEY_TIMEOUT.
 * @param maxQueuedPacketsPerPeer bound of the per-peer queue of packets waiting for a handshake (16)
 * @param minInitiationIntervalNs an initiation consumed within this of the previous one from the same
 *     peer is dropped (20 ms, i.e. at most 50 per second, as wireguard-go)
 * @param underLoadHandshakesPerSecond the device counts itself under load (demanding mac2 and answering
 *     with cookie replies) while more handshake messages than this arrived in the current or previous
 *     second; 0 disables the automatic decision ({@link Device#setUnderLoad} still forces it)
 * @param handshakeRateLimit under load, the per-source token buckets in front of the Diffie-Hellman and
 *     of cookie replies ({@link HandshakeRateLimit#DEFAULT}: 20 per second, burst 5; cookie replies 100
 *     per second, burst 100; 4096 sources)
 * @param maxPeers bound of the peer table
 * @param maxEvents bound of the event queue (the newest events are dropped and counted beyond it)
 * @param mtuBytes the tunnel interface's MTU (1280): plaintexts are zero-padded to a multiple of 16
 *     bytes but never beyond it, as the reference implementations do; a plaintext longer than the MTU
 *     is padded as if it were its last MTU-sized segment
 * @param aead the transport AEAD ({@link AeadChoice#AUTO}: the native one if it passes its self-test)
 */
public record WireGuardConfig(
        long rekeyAfterMessages,
        long rejectAfterMessages,
        long rekeyAfterTimeNs,
        long rejectAfterTimeNs,
        long rekeyAttemptTimeNs,
        long rekeyTimeoutNs,
        long rekeyTimeoutJitterMaxNs,
        long keepaliveTimeoutNs,
        long cookieRefreshTimeNs,
        long initiatorSendMarginNs,
        int maxQueuedPacketsPerPeer,
        long minInitiationIntervalNs,
        int underLoadHandshakesPerSecond,
        HandshakeRateLimit handshakeRateLimit,
        int maxPeers,
        int maxEvents,
        int mtuBytes,
        AeadChoice aead) {

    /** The tunnel MTU of the reference data plane. */
    public static final int DEFAULT_MTU_BYTES = 1280;

    /** The protocol's defaults. */
    public static final WireGuardConfig DEFAULT = new WireGuardConfig(
            1L << 60,
            -(1L << 13) - 1,
            seconds(120),
            seconds(180),
            seconds(90),
            seconds(5),
            Duration.ofMillis(333).toNanos(),
            seconds(10),
            seconds(120),
            seconds(10),
            16,
            Duration.ofMillis(20).toNanos(),
            1000,
            HandshakeRateLimit.DEFAULT,
            65_536,
            1024,
            DEFAULT_MTU_BYTES,
            AeadChoice.AUTO);

    public WireGuardConfig {
        if (rekeyAfterTimeNs <= 0 || rejectAfterTimeNs <= rekeyAfterTimeNs || rekeyTimeoutNs <= 0
                || keepaliveTimeoutNs <= 0 || rekeyAttemptTimeNs <= 0 || rekeyTimeoutJitterMaxNs < 0
                || cookieRefreshTimeNs <= 0 || minInitiationIntervalNs < 0 || underLoadHandshakesPerSecond < 0) {
            throw new IllegalArgumentException("inconsistent WireGuard timers: " + this);
        }
        if (initiatorSendMarginNs < 0 || rejectAfterTimeNs - initiatorSendMarginNs <= rekeyAfterTimeNs) {
            throw new IllegalArgumentException("initiatorSendMarginNs must leave room after rekeyAfterTimeNs");
        }
        Objects.requireNonNull(handshakeRateLimit, "handshakeRateLimit");
        Objects.requireNonNull(aead, "aead");
        if (maxQueuedPacketsPerPeer < 0 || maxPeers <= 0 || maxEvents <= 0 || mtuBytes <= 0) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        if (rekeyAfterMessages == 0 || Long.compareUnsigned(rekeyAfterMessages, rejectAfterMessages) >= 0) {
            throw new IllegalArgumentException("rekeyAfterMessages must be below rejectAfterMessages (unsigned)");
        }
    }

    /** A copy with another session age after which the initiator re-keys (tests use a few seconds). */
    public WireGuardConfig withRekeyAfterTimeNs(long ns) {
        return new WireGuardConfig(rekeyAfterMessages, rejectAfterMessages, ns, rejectAfterTimeNs,
                rekeyAttemptTimeNs, rekeyTimeoutNs, rekeyTimeoutJitterMaxNs, keepaliveTimeoutNs, cookieRefreshTimeNs,
                initiatorSendMarginNs, maxQueuedPacketsPerPeer, minInitiationIntervalNs,
                underLoadHandshakesPerSecond, handshakeRateLimit, maxPeers, maxEvents, mtuBytes, aead);
    }

    /** A copy with another default rekey-attempt time. */
    public WireGuardConfig withRekeyAttemptTimeNs(long ns) {
        return new WireGuardConfig(rekeyAfterMessages, rejectAfterMessages, rekeyAfterTimeNs, rejectAfterTimeNs, ns,
                rekeyTimeoutNs, rekeyTimeoutJitterMaxNs, keepaliveTimeoutNs, cookieRefreshTimeNs,
                initiatorSendMarginNs, maxQueuedPacketsPerPeer, minInitiationIntervalNs,
                underLoadHandshakesPerSecond, handshakeRateLimit, maxPeers, maxEvents, mtuBytes, aead);
    }

    /** A copy with another under-load threshold (0: only {@link Device#setUnderLoad} decides). */
    public WireGuardConfig withUnderLoadHandshakesPerSecond(int perSecond) {
        return new WireGuardConfig(rekeyAfterMessages, rejectAfterMessages, rekeyAfterTimeNs, rejectAfterTimeNs,
                rekeyAttemptTimeNs, rekeyTimeoutNs, rekeyTimeoutJitterMaxNs, keepaliveTimeoutNs,
                cookieRefreshTimeNs, initiatorSendMarginNs, maxQueuedPacketsPerPeer, minInitiationIntervalNs,
                perSecond, handshakeRateLimit, maxPeers, maxEvents, mtuBytes, aead);
    }

    /** A copy with another per-source handshake rate limit. */
    public WireGuardConfig withHandshakeRateLimit(HandshakeRateLimit limit) {
        return new WireGuardConfig(rekeyAfterMessages, rejectAfterMessages, rekeyAfterTimeNs, rejectAfterTimeNs,
                rekeyAttemptTimeNs, rekeyTimeoutNs, rekeyTimeoutJitterMaxNs, keepaliveTimeoutNs,
                cookieRefreshTimeNs, initiatorSendMarginNs, maxQueuedPacketsPerPeer, minInitiationIntervalNs,
                underLoadHandshakesPerSecond, limit, maxPeers, maxEvents, mtuBytes, aead);
    }

    /**
     * A copy with other message limits (compared unsigned; {@code rekeyAfter} must be below
     * {@code rejectAfter}). Small limits are for tests; production keeps the protocol's.
     */
    public WireGuardConfig withMessageLimits(long rekeyAfter, long rejectAfter) {
        return new WireGuardConfig(rekeyAfter, rejectAfter, rekeyAfterTimeNs, rejectAfterTimeNs,
                rekeyAttemptTimeNs, rekeyTimeoutNs, rekeyTimeoutJitterMaxNs, keepaliveTimeoutNs,
                cookieRefreshTimeNs, initiatorSendMarginNs, maxQueuedPacketsPerPeer, minInitiationIntervalNs,
                underLoadHandshakesPerSecond, handshakeRateLimit, maxPeers, maxEvents, mtuBytes, aead);
    }

    /** A copy with another retransmit jitter bound (0 makes retransmits exactly REKEY_TIMEOUT apart). */
    public WireGuardConfig withRekeyTimeoutJitterMaxNs(long ns) {
        return new WireGuardConfig(rekeyAfterMessages, rejectAfterMessages, rekeyAfterTimeNs, rejectAfterTimeNs,
                rekeyAttemptTimeNs, rekeyTimeoutNs, ns, keepaliveTimeoutNs,
                cookieRefreshTimeNs, initiatorSendMarginNs, maxQueuedPacketsPerPeer, minInitiationIntervalNs,
                underLoadHandshakesPerSecond, handshakeRateLimit, maxPeers, maxEvents, mtuBytes, aead);
    }

    /** A copy with another tunnel MTU, which caps the padding of transport plaintexts. */
    public WireGuardConfig withMtuBytes(int mtu) {
        return new WireGuardConfig(rekeyAfterMessages, rejectAfterMessages, rekeyAfterTimeNs, rejectAfterTimeNs,
                rekeyAttemptTimeNs, rekeyTimeoutNs, rekeyTimeoutJitterMaxNs, keepaliveTimeoutNs,
                cookieRefreshTimeNs, initiatorSendMarginNs, maxQueuedPacketsPerPeer, minInitiationIntervalNs,
                underLoadHandshakesPerSecond, handshakeRateLimit, maxPeers, maxEvents, mtu, aead);
    }

    /** A copy with another transport AEAD choice. */
    public WireGuardConfig withAead(AeadChoice choice) {
        return new WireGuardConfig(rekeyAfterMessages, rejectAfterMessages, rekeyAfterTimeNs, rejectAfterTimeNs,
                rekeyAttemptTimeNs, rekeyTimeoutNs, rekeyTimeoutJitterMaxNs, keepaliveTimeoutNs,
                cookieRefreshTimeNs, initiatorSendMarginNs, maxQueuedPacketsPerPeer, minInitiationIntervalNs,
                underLoadHandshakesPerSecond, handshakeRateLimit, maxPeers, maxEvents, mtuBytes, choice);
    }

    /**
     * Zero bytes to append to a plaintext of {@code plaintextBytes} before sealing: up to the next
     * multiple of 16, but never past {@link #mtuBytes()}; a plaintext longer than the MTU (a
     * segmentation-offload super-packet) is padded as its last MTU-sized piece would be.
     */
    public int paddingBytes(int plaintextBytes) {
        int last = plaintextBytes > mtuBytes ? plaintextBytes % mtuBytes : plaintextBytes;
        int padded = Math.min((last + 15) & ~15, mtuBytes);
        return Math.max(0, padded - last);
    }

    private static long seconds(long s) {
        return Duration.ofSeconds(s).toNanos();
    }
}
