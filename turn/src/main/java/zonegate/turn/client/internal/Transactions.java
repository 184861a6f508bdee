package zonegate.turn.client.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests in flight to one relay, with their retransmission schedule: sent at 0, retransmitted
 * after 1 s, then each interval x1.5 (1 s, 1.5 s, 2.25 s, 3.375 s ...), abandoned 8 s after the first
 * send (DESIGN.md section 5; RFC 8489 section 6.2.1 leaves RTO and Rc to the application). Bounded to
 * {@link #MAX_IN_FLIGHT}; matching is by the 96-bit transaction id.
 */
public final class Transactions {
    /** Most requests in flight at once; more are refused (the caller counts the drop). */
    public static final int MAX_IN_FLIGHT = 64;
    /** First retransmission timeout. */
    public static final long INITIAL_RTO_NS = 1_000_000_000L;
    /** A request unanswered this long after its first send is abandoned. */
    public static final long GIVE_UP_NS = 8_000_000_000L;

    /** One request in flight; {@code key} is the long-term key it was signed with, or {@code null}. */
    public static final class Pending {
        private final Request request;
        private final int idHigh;
        private final long idLow;
        private final byte[] bytes;
        private final byte[] key;
        private final long startNs;
        private long nextSendNs;
        private long lastSendNs;
        private long rtoNs;

        Pending(Request request, int idHigh, long idLow, byte[] bytes, byte[] key, long startNs) {
            this.request = request;
            this.idHigh = idHigh;
            this.idLow = idLow;
            this.bytes = bytes;
            this.key = key;
            this.startNs = startNs;
            this.lastSendNs = startNs;
            this.rtoNs = INITIAL_RTO_NS;
            this.nextSendNs = startNs + INITIAL_RTO_NS;
        }

        /** What was asked. */
        public Request request() {
            return request;
        }

        /** The encoded request, resent unchanged on retransmission. */
        public byte[] bytes() {
            return bytes;
        }

        /** The long-term key the request carried, or {@code null} for an unauthenticated request. */
        public byte[] key() {
            return key;
        }

        /** When the request was last (re)sent. */
        public long lastSendNs() {
            return lastSendNs;
        }

        long deadlineNs() {
            return Math.min(nextSendNs, startNs + GIVE_UP_NS);
        }
    }

    private final List<Pending> pending = new ArrayList<>(MAX_IN_FLIGHT);

    /** Records a request first sent at {@code nowNs}; {@code null} if {@link #MAX_IN_FLIGHT} are in flight. */
    public Pending add(Request request, int idHigh, long idLow, byte[] bytes, byte[] key, long nowNs) {
        if (pending.size() >= MAX_IN_FLIGHT) {
            return null;
        }
        Pending p = new Pending(request, idHigh, idLow, bytes, key, nowNs);
        pending.add(p);
        return p;
    }

    /** The request with this transaction id, or {@code null}. */
    public Pending find(int idHigh, long idLow) {
        for (Pending p : pending) {
            if (p.idHigh == idHigh && p.idLow == idLow) {
                return p;
            }
        }
        return null;
    }

    /** Forgets {@code p} (answered). */
    public void remove(Pending p) {
        pending.remove(p);
    }

    /** Forgets every request that is not of {@code type}. */
    public void retainOnly(Class<? extends Request> type) {
        pending.removeIf(p -> !type.isInstance(p.request));
    }

    /** Forgets every request (the relay is gone). */
    public void clear() {
        pending.clear();
    }

    /** Whether a request of {@code type} is in flight. */
    public boolean has(Class<? extends Request> type) {
        for (Pending p : pending) {
            if (type.isInstance(p.request)) {
                return true;
            }
        }
        return false;
    }

    /** The earliest retransmission or give-up deadline, or {@link Long#MAX_VALUE}. */
    public long deadlineNs() {
        long deadline = Long.MAX_VALUE;
        for (Pending p : pending) {
            deadline = Math.min(deadline, p.deadlineNs());
        }
        return deadline;
    }

    /**
     * Advances the schedule to {@code nowNs}: adds the requests due for retransmission to
     * {@code resend}, and removes those past {@link #GIVE_UP_NS}, adding them to {@code abandoned}.
     */
    public void onTimeout(long nowNs, List<Pending> resend, List<Pending> abandoned) {
        for (int i = pending.size() - 1; i >= 0; i--) {
            Pending p = pending.get(i);
            if (nowNs - p.startNs >= GIVE_UP_NS) {
                pending.remove(i);
                abandoned.add(p);
            } else if (nowNs >= p.nextSendNs) {
                // Scheduled from the previous send time, not from a late wake-up, so the schedule holds.
                p.lastSendNs = nowNs;
                p.rtoNs = p.rtoNs * 3 / 2;
                p.nextSendNs += p.rtoNs;
                resend.add(p);
            }
        }
    }
}
