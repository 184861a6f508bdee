package zonegate.turn.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Configuration of a {@link RelayServer} (RFC 8656, UDP transport).
 *
 * <p>Authentication is the long-term credential mechanism (RFC 8489 section 9.2) against
 * {@code staticUsers} (username to password) and/or, when {@code restSecret} is not null, TURN REST
 * credentials (coturn's {@code use-auth-secret}): the username is {@code expiry:account} (or just
 * {@code expiry}) with the expiry in Unix seconds, the password {@code base64(HMAC-SHA1(secret, username))};
 * a username whose expiry has passed is refused with 401. Static users are looked up first.
 *
 * <pre>{@code
 * RelayConfig config = RelayConfig.of("example.org", InetAddress.getByName("203.0.113.7"), null, 49152, 65535)
 *         .withStaticUsers(Map.of("alice", "secret"))
 *         .withRestSecret("shared-secret");
 * }</pre>
 *
 * @param realm REALM sent in challenges and mixed into every long-term key
 * @param staticUsers username to password (plain; SASLprep not applied, see {@code StunCredentials})
 * @param restSecret the TURN REST shared secret, or null to disable REST credentials
 * @param relayAddressV4 the public IPv4 address reported in XOR-RELAYED-ADDRESS, or null (no IPv4 relaying)
 * @param relayAddressV6 the public IPv6 address reported in XOR-RELAYED-ADDRESS, or null (no IPv6 relaying)
 * @param relayPortLow lowest relay port, inclusive (1-65535)
 * @param relayPortHigh highest relay port, inclusive
 * @param defaultLifetimeSeconds allocation lifetime when the client asks for less or nothing (600)
 * @param maxLifetimeSeconds longest allocation lifetime granted (3600)
 * @param permissionLifetimeSeconds permission lifetime (300, RFC 8656 section 9)
 * @param channelLifetimeSeconds channel binding lifetime (600, RFC 8656 section 12)
 * @param nonceLifetimeSeconds how long a NONCE stays valid; older ones get 438 Stale Nonce
 * @param maxAllocations allocations in total; more is 508 Insufficient Capacity
 * @param maxAllocationsPerUser allocations per account; more is 486 Allocation Quota Reached
 * @param maxPermissionsPerAllocation permissions (peer IPs) per allocation; more is 508
 * @param maxChannelsPerAllocation channel bindings per allocation; more is 508
 * @param transmitQueueCapacity datagrams waiting for {@link RelayServer#pollTransmit()}; more are dropped
 * @param eventQueueCapacity events waiting for {@link RelayServer#pollEvent()}; more are dropped
 * @param peerAllowed which peer IPs clients may install permissions for; others get 403 Forbidden
 */
public record RelayConfig(
        String realm,
        Map<String, String> staticUsers,
        String restSecret,
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
        Predicate<InetAddress> peerAllowed) {

    /** Validates and copies. */
    public RelayConfig {
        Objects.requireNonNull(realm, "realm");
        staticUsers = Map.copyOf(staticUsers);
        Objects.requireNonNull(peerAllowed, "peerAllowed");
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
    }

    /**
     * A configuration with the RFC 8656 defaults (lifetimes 600/3600/300/600 s, nonce 600 s), 10,000
     * allocations in total, 100 per user, 64 permissions and 64 channels per allocation, queues of 4096,
     * no users and every peer allowed.
     */
    public static RelayConfig of(String realm, InetAddress relayAddressV4, InetAddress relayAddressV6,
            int relayPortLow, int relayPortHigh) {
        return new RelayConfig(realm, Map.of(), null, relayAddressV4, relayAddressV6, relayPortLow, relayPortHigh,
                600, 3600, 300, 600, 600, 10_000, 100, 64, 64, 4096, 4096, address -> true);
    }

    /** This configuration with {@code users} (username to password) as static users. */
    public RelayConfig withStaticUsers(Map<String, String> users) {
        return new RelayConfig(realm, users, restSecret, relayAddressV4, relayAddressV6, relayPortLow,
                relayPortHigh, defaultLifetimeSeconds, maxLifetimeSeconds, permissionLifetimeSeconds,
                channelLifetimeSeconds, nonceLifetimeSeconds, maxAllocations, maxAllocationsPerUser,
                maxPermissionsPerAllocation, maxChannelsPerAllocation, transmitQueueCapacity, eventQueueCapacity,
                peerAllowed);
    }

    /** This configuration with TURN REST credentials under {@code secret} (null disables them). */
    public RelayConfig withRestSecret(String secret) {
        return new RelayConfig(realm, staticUsers, secret, relayAddressV4, relayAddressV6, relayPortLow,
                relayPortHigh, defaultLifetimeSeconds, maxLifetimeSeconds, permissionLifetimeSeconds,
                channelLifetimeSeconds, nonceLifetimeSeconds, maxAllocations, maxAllocationsPerUser,
                maxPermissionsPerAllocation, maxChannelsPerAllocation, transmitQueueCapacity, eventQueueCapacity,
                peerAllowed);
    }

    /** This configuration with other allocation, permission and channel bounds. */
    public RelayConfig withQuotas(int allocations, int allocationsPerUser, int permissionsPerAllocation,
            int channelsPerAllocation) {
        return new RelayConfig(realm, staticUsers, restSecret, relayAddressV4, relayAddressV6, relayPortLow,
                relayPortHigh, defaultLifetimeSeconds, maxLifetimeSeconds, permissionLifetimeSeconds,
                channelLifetimeSeconds, nonceLifetimeSeconds, allocations, allocationsPerUser,
                permissionsPerAllocation, channelsPerAllocation, transmitQueueCapacity, eventQueueCapacity,
                peerAllowed);
    }

    /** This configuration with {@code policy} deciding which peer IPs may be permitted (403 otherwise). */
    public RelayConfig withPeerPolicy(Predicate<InetAddress> policy) {
        return new RelayConfig(realm, staticUsers, restSecret, relayAddressV4, relayAddressV6, relayPortLow,
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
}
