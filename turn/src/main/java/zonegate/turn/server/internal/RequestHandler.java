package zonegate.turn.server.internal;

import static zonegate.stun.StunAttributeType.*;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.tinylog.Logger;
import zonegate.stun.ChannelDataView;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMethod;
import zonegate.turn.server.RelayConfig;
import zonegate.turn.server.RelayCounter;
import zonegate.turn.server.RelayEvent;

/**
 * STUN requests from clients: BINDING without authentication; ALLOCATE, REFRESH, CREATE-PERMISSION
 * and CHANNEL-BIND through the long-term credential check, the 420 check and the allocation checks.
 */
public final class RequestHandler {
    private static final long NS_PER_SECOND = 1_000_000_000L;

    private final RelayConfig config;
    private final AllocationTable table;
    private final Authenticator auth;
    private final Responder responder;
    private final Outbox outbox;
    private final AllocateHandler allocate;
    private final PeerCheck peers;
    private final int[] unknown = new int[16];
    private final byte[] peerAddress = new byte[16];

    /** A handler over the relay's shared parts. */
    public RequestHandler(RelayConfig config, AllocationTable table, Authenticator auth, Responder responder,
            Outbox outbox, PeerCheck peers) {
        this.config = config;
        this.peers = peers;
        this.table = table;
        this.auth = auth;
        this.responder = responder;
        this.outbox = outbox;
        this.allocate = new AllocateHandler(config, table, responder, outbox);
    }

    /** Handles request {@code m} from {@code client}. */
    public void onRequest(StunMessageView m, InetSocketAddress client, long nowNs) {
        StunMethod method = m.method();
        if (method == null) {
            outbox.count(RelayCounter.UNKNOWN_METHOD);
            responder.error(m, client, 400, null);
            return;
        }
        switch (method) {
            case BINDING -> binding(m, client);
            case ALLOCATE, REFRESH, CREATE_PERMISSION, CHANNEL_BIND -> authenticated(method, m, client, nowNs);
            case SEND, DATA -> {
                outbox.count(RelayCounter.BAD_REQUEST);
                responder.error(m, client, 400, null);
            }
        }
    }

    private void binding(StunMessageView m, InetSocketAddress client) {
        int count = m.unknownComprehensionRequired(unknown);
        if (count > 0) {
            outbox.count(RelayCounter.UNKNOWN_ATTRIBUTE);
            responder.writer.beginUnknownAttributesError(responder.scratch, 0, Responder.SCRATCH_BYTES, m, unknown,
                    count);
        } else {
            responder.begin(m, StunClass.SUCCESS_RESPONSE).addAddress(XOR_MAPPED_ADDRESS, client);
        }
        responder.send(client, null, m.hasFingerprint());
    }

    private void authenticated(StunMethod method, StunMessageView m, InetSocketAddress client, long nowNs) {
        Allocation existing = table.byClient(client);
        if (method == StunMethod.ALLOCATE && existing != null && existing.createTxHigh == m.transactionIdHigh()
                && existing.createTxLow == m.transactionIdLow()) {
            outbox.count(RelayCounter.ALLOCATE_RETRANSMIT);
            outbox.transmit(0, client, existing.createResponse.clone());
            return;
        }
        Authenticator.Outcome.Accepted user;
        switch (auth.check(m, client, nowNs)) {
            case Authenticator.Outcome.Refused(int code, RelayCounter counter) -> {
                outbox.count(counter);
                Logger.trace("turn request refused cid={} code={} reason={}", client, code, counter);
                if (code == 400) {
                    responder.error(m, client, code, null);
                } else {
                    responder.challenge(m, client, code, config.realm(), auth.nonce(client, nowNs));
                }
                return;
            }
            case Authenticator.Outcome.Accepted accepted -> user = accepted;
        }
        int count = m.unknownComprehensionRequired(unknown);
        if (count > 0) {
            outbox.count(RelayCounter.UNKNOWN_ATTRIBUTE);
            responder.writer.beginUnknownAttributesError(responder.scratch, 0, Responder.SCRATCH_BYTES, m, unknown,
                    count);
            responder.send(client, user.key(), m.hasFingerprint());
            return;
        }
        if (method == StunMethod.ALLOCATE) {
            allocate.handle(m, client, user, nowNs);
            return;
        }
        if (existing == null) {
            outbox.count(RelayCounter.ALLOCATION_MISMATCH);
            responder.error(m, client, 437, user.key());
            return;
        }
        if (!existing.username.equals(user.username())) {
            outbox.count(RelayCounter.WRONG_CREDENTIALS);
            responder.error(m, client, 441, user.key());
            return;
        }
        if (existing.recentRequests.contains(m.transactionIdHigh(), m.transactionIdLow())) {
            outbox.count(RelayCounter.REPEATED_REQUEST);
            repeat(m, existing, nowNs);
            return;
        }
        int code = switch (method) {
            case REFRESH -> refresh(m, existing, user, nowNs);
            case CREATE_PERMISSION -> createPermission(m, existing, nowNs);
            case CHANNEL_BIND -> channelBind(m, existing, nowNs);
            case BINDING, ALLOCATE, SEND, DATA -> 400;
        };
        if (code == 0) {
            existing.recentRequests.add(m.transactionIdHigh(), m.transactionIdLow());
        } else {
            responder.error(m, client, code, user.key());
        }
    }

    // A retransmission whose response was lost, or a replay within the nonce lifetime: both get the
    // success again, with the lifetime that is left, and change nothing, so a replay cannot renew what
    // its sender let lapse.
    private void repeat(StunMessageView m, Allocation allocation, long nowNs) {
        var writer = responder.begin(m, StunClass.SUCCESS_RESPONSE);
        if (m.method() == StunMethod.REFRESH) {
            writer.addLifetime(Math.max(0, (allocation.expiresAtNs - nowNs) / NS_PER_SECOND));
        }
        responder.send(allocation.client, allocation.key, m.hasFingerprint());
    }

    // RFC 8656 section 7.3; answers the success itself, returns an error code or 0.
    private int refresh(StunMessageView m, Allocation allocation, Authenticator.Outcome.Accepted user, long nowNs) {
        int family = m.requestedAddressFamily();
        if (family >= 0 && family != allocation.family) {
            outbox.count(RelayCounter.PEER_FAMILY_MISMATCH);
            return 443;
        }
        long requested = m.lifetimeSeconds();
        long granted = requested == 0 ? 0 : AllocateHandler.lifetime(config, requested, user);
        responder.begin(m, StunClass.SUCCESS_RESPONSE).addLifetime(granted);
        responder.send(allocation.client, allocation.key, m.hasFingerprint());
        if (granted == 0) {
            table.remove(allocation, RelayEvent.EndReason.DELETED);
        } else {
            allocation.expiresAtNs = nowNs + granted * NS_PER_SECOND;
            table.deadline(allocation, allocation.expiresAtNs);
            Logger.debug("turn allocation refreshed cid={} relay={} lifetime={}s", allocation.client,
                    allocation.relayed, granted);
        }
        return 0;
    }

    // RFC 8656 section 9: all peers are checked before any permission is installed.
    private int createPermission(StunMessageView m, Allocation allocation, long nowNs) {
        Set<java.net.InetAddress> fresh = new HashSet<>();
        for (int i = 0; i < m.attributeCount(); i++) {
            if (m.attributeType(i) != XOR_PEER_ADDRESS) {
                continue;
            }
            int code = checkPeer(m, i, allocation);
            if (code != 0) {
                return code;
            }
            java.net.InetAddress ip = m.addressAt(i).getAddress();
            if (!allocation.permissions.containsKey(ip)) {
                fresh.add(ip);
            }
        }
        if (!m.has(XOR_PEER_ADDRESS)) {
            outbox.count(RelayCounter.BAD_REQUEST);
            return 400;
        }
        if (allocation.permissions.size() + fresh.size() > config.maxPermissionsPerAllocation()) {
            outbox.count(RelayCounter.PERMISSION_CAPACITY);
            return 508;
        }
        long expiry = nowNs + config.permissionLifetimeSeconds() * NS_PER_SECOND;
        for (int i = 0; i < m.attributeCount(); i++) {
            if (m.attributeType(i) == XOR_PEER_ADDRESS) {
                allocation.permit(m.addressAt(i).getAddress(), expiry);
            }
        }
        table.deadline(allocation, expiry);
        responder.begin(m, StunClass.SUCCESS_RESPONSE);
        responder.send(allocation.client, allocation.key, m.hasFingerprint());
        return 0;
    }

    // RFC 8656 section 11.2, except that channels 0x5000-0x7FFF are accepted as RFC 5766 did: stock
    // clients still bind them (coturn's turnutils_uclient draws from 0x4000-0x7FFF, and coturn accepts).
    private int channelBind(StunMessageView m, Allocation allocation, long nowNs) {
        int number = m.channelNumber();
        int peerIndex = m.indexOf(XOR_PEER_ADDRESS);
        if (!ChannelDataView.isRfc5766Channel(number) || peerIndex < 0) {
            outbox.count(RelayCounter.BAD_REQUEST);
            return 400;
        }
        int code = checkPeer(m, peerIndex, allocation);
        if (code != 0) {
            return code;
        }
        InetSocketAddress peer = m.addressAt(peerIndex);
        Allocation.Channel byNumber = allocation.channelsByNumber.get(number);
        Allocation.Channel byPeer = allocation.channelsByPeer.get(peer);
        if ((byNumber != null && !byNumber.peer.equals(peer)) || (byPeer != null && byPeer.number != number)) {
            outbox.count(RelayCounter.CHANNEL_CONFLICT);
            return 400;
        }
        if (byNumber == null && allocation.channelsByNumber.size() >= config.maxChannelsPerAllocation()) {
            outbox.count(RelayCounter.CHANNEL_CAPACITY);
            return 508;
        }
        if (!allocation.permissions.containsKey(peer.getAddress())
                && allocation.permissions.size() >= config.maxPermissionsPerAllocation()) {
            outbox.count(RelayCounter.PERMISSION_CAPACITY);
            return 508;
        }
        long channelExpiry = nowNs + config.channelLifetimeSeconds() * NS_PER_SECOND;
        if (byNumber == null) {
            Allocation.Channel channel = new Allocation.Channel(number, peer, channelExpiry);
            allocation.channelsByNumber.put(number, channel);
            allocation.channelsByPeer.put(peer, channel);
            Logger.debug("turn channel bound cid={} relay={} channel={} peer={}", allocation.client,
                    allocation.relayed, number, peer);
        } else {
            byNumber.expiresAtNs = channelExpiry;
        }
        long permissionExpiry = nowNs + config.permissionLifetimeSeconds() * NS_PER_SECOND;
        allocation.permit(peer.getAddress(), permissionExpiry);
        table.deadline(allocation, Math.min(channelExpiry, permissionExpiry));
        responder.begin(m, StunClass.SUCCESS_RESPONSE);
        responder.send(allocation.client, allocation.key, m.hasFingerprint());
        return 0;
    }

    private int checkPeer(StunMessageView m, int index, Allocation allocation) {
        if (m.addressFamily(index) != allocation.family) {
            outbox.count(RelayCounter.PEER_FAMILY_MISMATCH);
            return 443;
        }
        if (!peers.permits(peerAddress, m.copyAddress(index, peerAddress), m.addressPort(index))) {
            outbox.count(RelayCounter.FORBIDDEN_PEER);
            Logger.debug("turn peer refused cid={} relay={} peer={} rule=peer-policy", allocation.client,
                    allocation.relayed, m.addressAt(index));
            return 403;
        }
        return 0;
    }
}
