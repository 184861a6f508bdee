package zonegate.turn.server.internal;

import static zonegate.stun.StunAttributeType.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.turn.server.RelayConfig;
import zonegate.turn.server.RelayCounter;

/** ALLOCATE (RFC 8656 section 7.2), after authentication and the 420 check. */
final class AllocateHandler {
    private static final int UDP = 17;
    private static final int FAMILY_IPV4 = 1;
    private static final int FAMILY_IPV6 = 2;

    private final RelayConfig config;
    private final AllocationTable table;
    private final Responder responder;
    private final Outbox outbox;

    AllocateHandler(RelayConfig config, AllocationTable table, Responder responder, Outbox outbox) {
        this.config = config;
        this.table = table;
        this.responder = responder;
        this.outbox = outbox;
    }

    void handle(StunMessageView m, InetSocketAddress client, Authenticator.Outcome.Accepted user, long nowNs) {
        int refusal = check(m, client, user);
        if (refusal != 0) {
            responder.error(m, client, refusal, user.key());
            return;
        }
        int family = m.requestedAddressFamily() < 0 ? FAMILY_IPV4 : m.requestedAddressFamily();
        InetAddress relayAddress = config.relayAddress(family);
        int port = table.freePort(m.evenPort() >= 0);
        if (port < 0) {
            outbox.count(RelayCounter.PORT_CAPACITY);
            responder.error(m, client, 508, user.key());
            return;
        }
        long lifetimeSeconds = lifetime(config, m.lifetimeSeconds(), user);
        Allocation allocation = new Allocation(client, user.username(), user.account(), user.key(), family,
                new InetSocketAddress(relayAddress, port), nowNs + lifetimeSeconds * 1_000_000_000L,
                m.transactionIdHigh(), m.transactionIdLow());
        var writer = responder.begin(m, StunClass.SUCCESS_RESPONSE)
                .addAddress(XOR_RELAYED_ADDRESS, allocation.relayed)
                .addLifetime(lifetimeSeconds)
                .addAddress(XOR_MAPPED_ADDRESS, client);
        if (m.additionalAddressFamily() >= 0) {
            // Dual-stack allocations (RFC 8656 section 7.2, ADDITIONAL-ADDRESS-FAMILY) are not offered yet.
            writer.addAddressErrorCode(FAMILY_IPV6, 440, Responder.reason(440));
        }
        allocation.createResponse = responder.send(client, user.key(), m.hasFingerprint());
        table.add(allocation, lifetimeSeconds);
    }

    /** The error code refusing this ALLOCATE, or 0; counts the refusal. */
    private int check(StunMessageView m, InetSocketAddress client, Authenticator.Outcome.Accepted user) {
        if (table.byClient(client) != null) {
            outbox.count(RelayCounter.ALLOCATION_MISMATCH);
            return 437;
        }
        int transport = m.requestedTransport();
        boolean reservation = m.has(RESERVATION_TOKEN);
        int requestedFamily = m.requestedAddressFamily();
        int additionalFamily = m.additionalAddressFamily();
        if (transport < 0 || (reservation && (m.has(EVEN_PORT) || requestedFamily >= 0))
                || (requestedFamily >= 0 && additionalFamily >= 0)
                || (additionalFamily >= 0 && additionalFamily != FAMILY_IPV6)) {
            outbox.count(RelayCounter.BAD_REQUEST);
            return 400;
        }
        if (transport != UDP) {
            outbox.count(RelayCounter.UNSUPPORTED_TRANSPORT);
            return 442;
        }
        if (reservation) {
            // No ports are ever held for a RESERVATION-TOKEN, so every token is unknown (section 7.2).
            outbox.count(RelayCounter.PORT_CAPACITY);
            return 508;
        }
        if (config.relayAddress(requestedFamily < 0 ? FAMILY_IPV4 : requestedFamily) == null) {
            outbox.count(RelayCounter.ADDRESS_FAMILY_UNSUPPORTED);
            return 440;
        }
        if (table.countFor(user.account()) >= config.maxAllocationsPerUser()) {
            outbox.count(RelayCounter.USER_QUOTA);
            return 486;
        }
        if (table.size() >= config.maxAllocations()) {
            outbox.count(RelayCounter.ALLOCATION_CAPACITY);
            return 508;
        }
        return 0;
    }

    /**
     * The lifetime to grant for a requested one (-1 when absent), RFC 8656 sections 7.2 and 7.3:
     * min(requested, max), but never below the default; and never past the expiry of {@code user}'s TURN
     * REST username, so an allocation cannot outlive the credential that made or refreshed it.
     */
    static long lifetime(RelayConfig config, long requestedSeconds, Authenticator.Outcome.Accepted user) {
        long granted = requestedSeconds < 0 ? config.defaultLifetimeSeconds()
                : Math.max(config.defaultLifetimeSeconds(), Math.min(requestedSeconds, config.maxLifetimeSeconds()));
        return Math.min(granted, user.secondsLeft());
    }
}
