package zonegate.ice.internal;

import java.util.ArrayList;
import java.util.List;
import zonegate.ice.IceConfig;

/**
 * The Binding requests in flight, matched by the 96-bit transaction id. Bounded to
 * {@link #MAX_IN_FLIGHT}: one per pair (at most {@link IceConfig#maxPairs()}), cancelled ones waiting
 * out their timeout, a nomination and a consent check.
 */
final class Checks {
    /** Most transactions in flight; a new check beyond it is not sent (counted as a dropped output). */
    static final int MAX_IN_FLIGHT = 1024;

    private final IceConfig config;
    private final List<Check> inFlight = new ArrayList<>();

    Checks(IceConfig config) {
        this.config = config;
    }

    boolean full() {
        return inFlight.size() >= MAX_IN_FLIGHT;
    }

    Check start(Check.Kind kind, Pair pair, int idHigh, long idLow, byte[] bytes, zonegate.ice.IceRole role,
            long priority, long nowNs) {
        Check check = new Check(kind, pair, idHigh, idLow, bytes, role, priority, nowNs, config.rtoNs(1),
                config.checkTimeoutNs());
        inFlight.add(check);
        return check;
    }

    Check find(int idHigh, long idLow) {
        for (Check c : inFlight) {
            if (c.idHigh == idHigh && c.idLow == idLow) {
                return c;
            }
        }
        return null;
    }

    void remove(Check check) {
        inFlight.remove(check);
    }

    /** Whether a check of {@code kind} is in flight and not cancelled. */
    boolean has(Check.Kind kind) {
        for (Check c : inFlight) {
            if (c.kind == kind && !c.cancelled) {
                return true;
            }
        }
        return false;
    }

    /** Cancels every check except those of {@code keep} (nomination done: stop checking other pairs). */
    void cancelAllBut(Check.Kind keep) {
        for (Check c : inFlight) {
            if (c.kind != keep) {
                c.cancelled = true;
            }
        }
    }

    void clear() {
        inFlight.clear();
    }

    long deadlineNs() {
        long deadline = Long.MAX_VALUE;
        for (Check c : inFlight) {
            deadline = Math.min(deadline, c.deadlineNs());
        }
        return deadline;
    }

    /**
     * Advances every schedule to {@code nowNs}: due retransmissions go to {@code resend}, timed-out
     * transactions are removed and, unless cancelled, go to {@code timedOut}.
     */
    void onTimeout(long nowNs, List<Check> resend, List<Check> timedOut) {
        for (int i = 0; i < inFlight.size(); i++) {
            Check c = inFlight.get(i);
            if (nowNs >= c.startNs + c.timeoutNs) {
                inFlight.remove(i--);
                if (!c.cancelled) {
                    timedOut.add(c);
                }
            } else if (!c.cancelled && nowNs >= c.nextSendNs) {
                c.retransmits++;
                // From the scheduled instant, not the wake-up, so the schedule holds exactly.
                c.nextSendNs += config.rtoNs(c.retransmits + 1);
                resend.add(c);
            }
        }
    }
}
