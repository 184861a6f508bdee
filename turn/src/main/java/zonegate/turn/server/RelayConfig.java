package zonegate.turn.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of a {@link RelayServer} (RFC 8656, UDP transport).
 *
 * <p>Authentication is the long-term credential mechanism (RFC 8489 section 9.2) against
 * {@code staticKeys} (username to long-term key) and/or, when {@code restSecret} is not null, TURN REST
 * credentials (coturn's {@code use-auth-secret}): the username is {@code expiry:account} (or just
 * {@code expiry}) with the expiry in Unix seconds, the password {@code base64(HMAC-SHA1(secret, username))};
 * a username whose expiry has come is refused with 401, and an allocation made with one ends no later
 * than that expiry. Static users are looked up first. Passwords are not kept: only the long-term keys
 * derived from them, so neither {@link #toString()} nor a heap dump shows a password as text.
 *
 * <pre>{@code
 * RelayConfig config = RelayConfig.of("example.org", InetAddress.getByName("203.0.113.7"), null, 49152, 65535)
 *         .withStaticUsers(Map.of("alice", "secret"))
 *         .withRestSecret("shared-secret".getBytes(StandardCharsets.UTF_8));
 * }</pre>
 *
 * @param realm REALM sent in challenges and mixed into every long-term key
 * @param staticKeys username to long-term key, {@code MD5(username ":" realm ":" password)} (SASLprep not
 *     applied, see {@code StunCredentials})
 * @param restSecret the TURN REST shared secret's bytes (copied), or null to disable REST credentials
 * @param relayAddressV4 the public IPv4 address reported in XOR-RELAYED-ADDRESS, or null (no IPv4 relaying)
 * @param relayAddressV6 the public IPv6 address reported in XOR-RELAYED-ADDRESS, or null (no IPv6 relaying)
 * @param relayPortLow lowest relay port, inclusive (1-65535)
 * @param relayPortHigh highest relay port, inclusive
 * @param defaultLifetimeSeconds allocation lifetime when the client asks for less or nothing (600)
 * @param maxLifetimeSeconds longest allocation lifetime granted (3600)
 * @param permissionLifetimeSeconds permission lifetime (300, RFC 8656 section 9)
 * @param channelLifetimeSeconds channel binding lifetime (600, RFC 8656 section 12)
 * @param nonceLifetimeSeconds how long a NONCE stays valid (60); older ones get 438 Stale Nonce, so a
 *     captured signed request cannot be replayed later than this
 * @param maxAllocations allocations in total; more is 508 Insufficient Capacity
 * @param maxAllocationsPerUser allocations per account; more is 486 Allocation Quota Reached. It must be
 *     below the number of relay ports, so that one account cannot take them all
 * @param maxPermissionsPerAllocation permissions (peer IPs) per allocation; more is 508
 * @param maxChannelsPerAllocation channel bindings per allocation; more is 508
 * @param transmitQueueCapacity datagrams waiting for {@link RelayServer#pollTransmit()}; more are dropped
 * @param eventQueueCapacity events waiting for {@link RelayServer#pollEvent()}; more are dropped
 * @param peerPolicy which peer IPs clients may relay to; others get 403 Forbidden. The relay addresses are
 *     refused on top of it (unless it allows them)
 */
public record RelayConfig(
        String realm,
        Map<String, byte[]> staticKeys,
        byte[] restSecret,
        InetAddress relayAddressV4,
        InetAddress relayAddressV6,
        int relayPortLow,
        int relayPortHigh,
        long defaultLifetimeSeconds,
        long maxLifetimeSeconds,
        long permissionLifetimeSeconds,
        long channelLifetimeSeconds,
        long nonceLifetimeSeconds,
        int maxAllocations,
        int maxAllocationsPerUser,
        int maxPermissionsPerAllocation,
        int maxChannelsPerAllocation,
        int transmitQueueCapacity,
        int eventQueueCapacity,
        PeerPolicy peerPolicy) {

    /** The default allocation quota per account: half the relay ports, at most this many. */
    public static final int DEFAULT_MAX_ALLOCATIONS_PER_USER = 100;

    /** Validates and copies. */
    public RelayConfig {
        Objects.requireNonNull(realm, "realm");
        staticKeys = Map.copyOf(staticKeys);
        restSecret = restSecret == null ? null : restSecret.clone();
        Objects.requireNonNull(peerPolicy, "peerPolicy");
        if (relayAddressV4 != null && !(relayAddressV4 instanceof Inet4Address)) {
            throw new IllegalArgumentException("relayAddressV4 is not IPv4: " + relayAddressV4);
        }
        if (relayAddressV6 != null && !(relayAddressV6 instanceof Inet6Address)) {
            throw new IllegalArgumentException("relayAddressV6 is not IPv6: " + relayAddressV6);
        }
        if (relayAddressV4 == null && relayAddressV6 == null) {
            throw new IllegalArgumentException("at least one relay address is needed");
        }
        if (relayPortLow < 1 || relayPortHigh > 65535 || relayPortLow > relayPortHigh) {
            throw new IllegalArgumentException("bad relay port range " + relayPortLow + "-" + relayPortHigh);
        }
        if (defaultLifetimeSeconds < 1 || maxLifetimeSeconds < defaultLifetimeSeconds
                || permissionLifetimeSeconds < 1 || channelLifetimeSeconds < 1 || nonceLifetimeSeconds < 1) {
            throw new IllegalArgumentException("lifetimes must be positive and max >= default");
        }
        if (maxAllocations < 1 || maxAllocationsPerUser < 1 || maxPermissionsPerAllocation < 1
                || maxChannelsPerAllocation < 1 || transmitQueueCapacity < 1 || eventQueueCapacity < 1) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        int ports = relayPortHigh - relayPortLow + 1;
        if (maxAllocationsPerUser >= ports) {
            throw new IllegalArgumentException("the allocation quota per user (" + maxAllocationsPerUser
                    + ") must be below the " + ports + " relay ports (" + relayPortLow + "-" + relayPortHigh
                    + "), or one account could take every port; widen the range or lower the quota");
        }
    }

    /**
     * A configuration with the RFC 8656 lifetimes (600/3600/300/600 s), nonces valid for 60 s, 10,000
     * allocations in total, half the relay ports (at most 100) per user, 64 permissions and 64 channels
     * per allocation, queues of 4096, no users, and {@link PeerPolicy#defaults()}.
     *
     * @throws IllegalArgumentException for a range of fewer than 2 ports (the per-user quota must stay
     *     below the port count) and the other checks of the canonical constructor
     */
    public static RelayConfig of(String realm, InetAddress relayAddressV4, InetAddress relayAddressV6,
            int relayPortLow, int relayPortHigh) {
        int perUser = Math.max(1, Math.min(DEFAULT_MAX_ALLOCATIONS_PER_USER, (relayPortHigh - relayPortLow + 1) / 2));
        return new RelayConfig(realm, Map.of(), null, relayAddressV4, relayAddressV6, relayPortLow, relayPortHigh,
                600, 3600, 300, 600, 60, 10_000, perUser, 64, 64, 4096, 4096, PeerPolicy.defaults());
    }

    /** This configuration with the long-term keys of {@code users} (username to password) as static users. */
    public RelayConfig withStaticUsers(Map<String, String> users) {
        Map<String, byte[]> keys = new HashMap<>();
        users.forEach((user, password) ->
                keys.put(user, longTermKey(user, realm, password.getBytes(StandardCharsets.UTF_8))));
        return withStaticKeys(keys);
    }

    /** This configuration with {@code keys} (username to long-term key, see {@link #longTermKey}). */
    public RelayConfig withStaticKeys(Map<String, byte[]> keys) {
        return new RelayConfig(realm, keys, restSecret, relayAddressV4, relayAddressV6, relayPortLow,
                relayPortHigh, defaultLifetimeSeconds, maxLifetimeSeconds, permissionLifetimeSeconds,
                channelLifetimeSeconds, nonceLifetimeSeconds, maxAllocations, maxAllocationsPerUser,
                maxPermissionsPerAllocation, maxChannelsPerAllocation, transmitQueueCapacity, eventQueueCapacity,
                peerPolicy);
    }

    /** This configuration with TURN REST credentials under {@code secret}'s bytes (copied; null disables them). */
    public RelayConfig withRestSecret(byte[] secret) {
        return new RelayConfig(realm, staticKeys, secret, relayAddressV4, relayAddressV6, relayPortLow,
                relayPortHigh, defaultLifetimeSeconds, maxLifetimeSeconds, permissionLifetimeSeconds,
                channelLifetimeSeconds, nonceLifetimeSeconds, maxAllocations, maxAllocationsPerUser,
                maxPermissionsPerAllocation, maxChannelsPerAllocation, transmitQueueCapacity, eventQueueCapacity,
                peerPolicy);
    }

    /** This configuration with other allocation, permission and channel bounds. */
    public RelayConfig withQuotas(int allocations, int allocationsPerUser, int permissionsPerAllocation,
            int channelsPerAllocation) {
        return new RelayConfig(realm, staticKeys, restSecret, relayAddressV4, relayAddressV6, relayPortLow,
                relayPortHigh, defaultLifetimeSeconds, maxLifetimeSeconds, permissionLifetimeSeconds,
                channelLifetimeSeconds, nonceLifetimeSeconds, allocations, allocationsPerUser,
                permissionsPerAllocation, channelsPerAllocation, transmitQueueCapacity, eventQueueCapacity,
                peerPolicy);
    }

    /** This configuration with {@code policy} deciding which peer IPs may be relayed to (403 otherwise). */
    public RelayConfig withPeerPolicy(PeerPolicy policy) {
        return new RelayConfig(realm, staticKeys, restSecret, relayAddressV4, relayAddressV6, relayPortLow,
                relayPortHigh, defaultLifetimeSeconds, maxLifetimeSeconds, permissionLifetimeSeconds,
                channelLifetimeSeconds, nonceLifetimeSeconds, maxAllocations, maxAllocationsPerUser,
                maxPermissionsPerAllocation, maxChannelsPerAllocation, transmitQueueCapacity, eventQueueCapacity,
                policy);
    }

    /** The relay address for STUN address family {@code family} (1 IPv4, 2 IPv6), or null. */
    public InetAddress relayAddress(int family) {
        return switch (family) {
            case 1 -> relayAddressV4;
            case 2 -> relayAddressV6;
            default -> null;
        };
    }

    /**
     * The long-term key {@code MD5(username ":" realm ":" password)} from the password's UTF-8 bytes, so
     * that a password read from a file never has to become a String.
     */
    public static byte[] longTermKey(String username, String realm, byte[] password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((username + ":" + realm + ":").getBytes(StandardCharsets.UTF_8));
            return md5.digest(password);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JDK", e);
        }
    }
}
