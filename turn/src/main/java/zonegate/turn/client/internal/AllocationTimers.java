package zonegate.turn.client.internal;

import java.util.ArrayList;
import java.util.List;
import zonegate.turn.client.Allocation;
import zonegate.turn.client.AllocationTimeout;
import zonegate.turn.client.TimeoutReason;
import zonegate.turn.client.internal.AllocationState.Phase;
import zonegate.turn.client.internal.ChannelTable.Channel;
import zonegate.turn.client.internal.Transactions.Pending;

/**
 * The allocation's deadlines: retransmissions, the BINDING keepalive ({@link Allocation#KEEPALIVE_NS}
 * without other traffic with the relay), the REFRESH at half the lifetime, channel refresh and expiry,
 * and the end of a back-off.
 */
public final class AllocationTimers {
    private final AllocationState state;
    private final List<Pending> resend = new ArrayList<>();
    private final List<Pending> abandoned = new ArrayList<>();
    private final List<Channel> refresh = new ArrayList<>();
    private final List<Channel> expired = new ArrayList<>();

    /** Deadlines of {@code state}. */
    public AllocationTimers(AllocationState state) {
        this.state = state;
    }

    /** Runs whatever is due at {@code nowNs}. */
    public void onTimeout(long nowNs) {
        resend.clear();
        abandoned.clear();
        state.transactions.onTimeout(nowNs, resend, abandoned);
        for (Pending p : resend) {
            state.transmit(p.bytes(), nowNs);
        }
        onAbandoned(nowNs);
        if (state.phase == Phase.BACKING_OFF && nowNs >= state.backoffUntilNs) {
            state.startAllocate(nowNs);
        }
        if (state.phase == Phase.ALLOCATED && nowNs >= state.refreshAtNs) {
            state.refreshAtNs = Long.MAX_VALUE;
            state.send(new Request.Refresh(Allocation.DEFAULT_LIFETIME_SECONDS), nowNs);
        }
        if (nowNs >= keepaliveAtNs()) {
            state.send(new Request.Binding(), nowNs);
        }
        refresh.clear();
        expired.clear();
        state.channels.onTimeout(nowNs, refresh, expired);
        for (Channel channel : refresh) {
            state.send(new Request.ChannelBind(channel.peer(), channel.number()), nowNs);
        }
        for (Channel channel : expired) {
            state.log.debug("TURN channel expired relay={} peer={} channel={}", state.config.server(),
                    channel.peer(), channel.number());
        }
    }

    /**
     * Requests that went unanswered for {@link Transactions#GIVE_UP_NS}. The relay is unresponsive only if
     * it has not answered anything since one of them was last sent; otherwise the request alone was lost
     * (sent into a partition that has ended, say) and is asked again as a new transaction, so a relay that
     * answers is never withdrawn. Nothing is asked again once the allocation is closed.
     */
    private void onAbandoned(long nowNs) {
        boolean silent = false;
        for (Pending p : abandoned) {
            silent |= state.lastAnswerNs <= p.lastSendNs();
        }
        if (silent) {
            state.onUnresponsive(nowNs);
            return;
        }
        for (Pending p : abandoned) {
            if (!state.closed()) {
                state.send(p.request(), nowNs);
            }
        }
    }

    /**
     * The earliest deadline and what it is for; never {@code null}. The keepalive is always pending
     * until the allocation is closed; then only retransmissions are, and the deadline is
     * {@link Long#MAX_VALUE} once they are over.
     */
    public AllocationTimeout next() {
        AllocationTimeout timeout = new AllocationTimeout(keepaliveAtNs(), TimeoutReason.KEEPALIVE);
        timeout = earlier(timeout, state.transactions.deadlineNs(), TimeoutReason.RETRANSMIT);
        timeout = earlier(timeout, state.phase == Phase.ALLOCATED ? state.refreshAtNs : Long.MAX_VALUE,
                TimeoutReason.REFRESH);
        timeout = earlier(timeout, state.channels.deadlineNs(), TimeoutReason.CHANNEL);
        return earlier(timeout, state.phase == Phase.BACKING_OFF ? state.backoffUntilNs : Long.MAX_VALUE,
                TimeoutReason.BACKOFF);
    }

    private long keepaliveAtNs() {
        return state.closed() || state.transactions.has(Request.Binding.class)
                ? Long.MAX_VALUE : state.lastRelayTrafficNs + Allocation.KEEPALIVE_NS;
    }

    private static AllocationTimeout earlier(AllocationTimeout timeout, long deadlineNs, TimeoutReason reason) {
        return deadlineNs < timeout.deadlineNs() ? new AllocationTimeout(deadlineNs, reason) : timeout;
    }
}
