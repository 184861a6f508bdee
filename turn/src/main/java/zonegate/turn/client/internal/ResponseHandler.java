package zonegate.turn.client.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.turn.client.Allocation;
import zonegate.turn.client.AllocationEvent;
import zonegate.turn.client.InvalidationReason;
import zonegate.turn.client.internal.AllocationState.Phase;
import zonegate.turn.client.internal.ChannelTable.Channel;
import zonegate.turn.client.internal.Transactions.Pending;

/**
 * The relay's answers to the allocation's requests: BINDING (server-reflexive address), ALLOCATE (401
 * and 438 retried with credentials, the relayed addresses), REFRESH and CHANNEL-BIND. An answer must
 * match a request in flight and pass the long-term credential check (RFC 8489 section 9.2.5), or it is
 * dropped unread.
 */
public final class ResponseHandler {
    private final AllocationState state;

    /** Answers update {@code state}. */
    public ResponseHandler(AllocationState state) {
        this.state = state;
    }

    /**
     * Handles a STUN success or error response from the relay.
     *
     * @return whether it answered a request in flight (consumed, even when dropped as unauthentic)
     */
    public boolean onResponse(StunMessageView message, long nowNs) {
        Pending pending = state.transactions.find(message.transactionIdHigh(), message.transactionIdLow());
        if (pending == null) {
            return false;
        }
        if (!LongTermCredentials.authentic(message, pending.key())) {
            state.dropped++;
            return true;
        }
        state.transactions.remove(pending);
        state.lastRelayTrafficNs = nowNs;
        state.lastAnswerNs = nowNs;
        if (state.unresponsive) {
            state.unresponsive = false;
            state.log.info("TURN relay answers again relay={}", state.config.server());
        }
        boolean success = message.messageClass() == StunClass.SUCCESS_RESPONSE;
        switch (pending.request()) {
            case Request.Binding b -> onBindingResponse(message, success, nowNs);
            case Request.Allocate a -> onAllocateResponse(message, success, pending, nowNs);
            case Request.Refresh r -> onRefreshResponse(message, success, r, nowNs);
            case Request.ChannelBind c -> onChannelBindResponse(message, success, c, nowNs);
        }
        return true;
    }

    private void onBindingResponse(StunMessageView message, boolean success, long nowNs) {
        if (success && state.phase != Phase.CLOSED) {
            onMappedAddress(message.xorMappedAddress());
            if (state.phase == Phase.IDLE) {
                state.startAllocate(nowNs);
            }
        }
    }

    private void onMappedAddress(InetSocketAddress mapped) {
        if (mapped != null && !mapped.equals(state.serverReflexive)) {
            state.log.info("TURN server-reflexive address relay={} address={}", state.config.server(), mapped);
            state.emit(new AllocationEvent.ServerReflexiveAddress(state.serverReflexive, mapped));
            state.serverReflexive = mapped;
        }
    }

    private void onAllocateResponse(StunMessageView message, boolean success, Pending pending, long nowNs) {
        LongTermCredentials credentials = state.credentials;
        if (state.phase == Phase.CLOSED) {
            // Closed while this ALLOCATE was in flight: delete what it created, retry nothing.
            if (success) {
                state.send(new Request.Refresh(0), nowNs);
            }
            return;
        }
        if (!success) {
            int code = message.errorCode();
            if (code == 401 && credentials.onUnauthorized(message, pending.key())
                    || code == 438 && credentials.onStaleNonce(message)) {
                state.send(new Request.Allocate(), nowNs);
                return;
            }
            if (code == 437 && !state.staleDeleted) {
                // RFC 8656 section 7.2: the relay still has an allocation on our 5-tuple that we gave up on
                // (its answer was lost, or the relay was unreachable for a while): delete it, then allocate.
                state.staleDeleted = true;
                state.send(new Request.Refresh(0), nowNs);
                return;
            }
            state.fail(reasonOf(code), nowNs);
            return;
        }
        List<InetSocketAddress> granted = new ArrayList<>(2);
        for (int i = 0; i < message.attributeCount() && granted.size() < 2; i++) {
            InetSocketAddress address = message.attributeType(i) == StunAttributeType.XOR_RELAYED_ADDRESS
                    ? message.addressAt(i) : null;
            if (address != null) {
                granted.add(address);
            }
        }
        if (granted.isEmpty()) {
            state.fail(InvalidationReason.REJECTED, nowNs);
            return;
        }
        credentials.onSuccess();
        onMappedAddress(message.xorMappedAddress());
        state.onAllocated(granted, lifetime(message), nowNs);
    }

    private static InvalidationReason reasonOf(int errorCode) {
        return switch (errorCode) {
            case 401 -> InvalidationReason.UNAUTHORIZED;
            case 437 -> InvalidationReason.ALLOCATION_MISMATCH;
            case 486 -> InvalidationReason.QUOTA_REACHED;
            case 508 -> InvalidationReason.INSUFFICIENT_CAPACITY;
            default -> InvalidationReason.REJECTED;
        };
    }

    /** LIFETIME, or the default when absent; clamped to 1 h (RFC 8656 section 7.2 caps it there). */
    private static long lifetime(StunMessageView message) {
        long seconds = message.lifetimeSeconds();
        return seconds <= 0 ? Allocation.DEFAULT_LIFETIME_SECONDS : Math.min(seconds, 3_600);
    }

    private void onRefreshResponse(StunMessageView message, boolean success, Request.Refresh request, long nowNs) {
        if (state.phase == Phase.CLOSED) {
            // The deleting REFRESH: done on success or 437 (already gone); a stale nonce is retried.
            if (!success && message.errorCode() == 438 && state.credentials.onStaleNonce(message)) {
                state.send(request, nowNs);
            }
            return;
        }
        if (state.phase == Phase.ALLOCATING && request.lifetimeSeconds() == 0) {
            if (!success && message.errorCode() == 438 && state.credentials.onStaleNonce(message)) {
                state.send(request, nowNs);
            } else {
                state.send(new Request.Allocate(), nowNs);
            }
            return;
        }
        if (state.phase != Phase.ALLOCATED) {
            return;
        }
        if (success) {
            state.credentials.onSuccess();
            state.refreshAtNs = nowNs + lifetime(message) * 500_000_000L;
        } else if (message.errorCode() == 438 && state.credentials.onStaleNonce(message)) {
            state.send(request, nowNs);
        } else if (message.errorCode() == 437) {
            // RFC 8656 section 8.3: the allocation no longer exists (the relay restarted): a new one at once.
            state.lost(null, nowNs);
        } else {
            state.fail(reasonOf(message.errorCode()), nowNs);
        }
    }

    private void onChannelBindResponse(StunMessageView message, boolean success, Request.ChannelBind request,
            long nowNs) {
        ChannelTable channels = state.channels;
        Channel channel = channels.ofPeer(request.peer());
        if (channel == null || channel.number() != request.channel()) {
            return;
        }
        if (success) {
            state.credentials.onSuccess();
            if (channels.onBound(channel, nowNs)) {
                state.log.debug("TURN channel bound relay={} peer={} channel={}", state.config.server(),
                        request.peer(), request.channel());
                state.emit(new AllocationEvent.ChannelBound(request.peer(), request.channel()));
            }
        } else if (message.errorCode() == 438 && state.credentials.onStaleNonce(message)) {
            state.send(request, nowNs);
        } else if (message.errorCode() == 437 && state.phase == Phase.ALLOCATED) {
            // RFC 8656 section 12: no allocation for this 5-tuple; another channel number would fail alike.
            state.lost(request.peer(), nowNs);
        } else {
            channels.release(channel, nowNs);
            state.log.debug("TURN channel refused relay={} peer={} channel={} code={}", state.config.server(),
                    request.peer(), request.channel(), message.errorCode());
        }
    }
}
