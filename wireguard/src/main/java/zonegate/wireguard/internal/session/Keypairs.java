package zonegate.wireguard.internal.session;

/**
 * A peer's previous, current and next sessions (paper section 6.1; the rotation rules follow the
 * reference implementations). A responder's new session waits in {@code next} until the initiator
 * proves it has the keys by sending on it; an initiator's new session becomes {@code current} at once.
 */
public final class Keypairs {
    private Session previous;
    private Session current;
    private Session next;

    public Session previous() {
        return previous;
    }

    public Session current() {
        return current;
    }

    public Session next() {
        return next;
    }

    /**
     * Installs a session we initiated as current. Returns the sessions that were dropped (their
     * indices must be released), via {@code dropped}.
     */
    public void installInitiated(Session session, java.util.function.Consumer<Session> dropped) {
        if (next != null) {
            drop(previous, dropped);
            previous = next;
            next = null;
            drop(current, dropped);
        } else {
            drop(previous, dropped);
            previous = current;
        }
        current = session;
    }

    /** Installs a session we responded to as next; it is not used for sending until confirmed. */
    public void installResponded(Session session, java.util.function.Consumer<Session> dropped) {
        drop(next, dropped);
        next = session;
        drop(previous, dropped);
        previous = null;
    }

    /**
     * Notes an authenticated packet on {@code session}. If it was {@code next}, it becomes current.
     *
     * @return true if that rotation happened (the responder's session is now confirmed)
     */
    public boolean confirm(Session session, java.util.function.Consumer<Session> dropped) {
        if (session != next) {
            return false;
        }
        drop(previous, dropped);
        previous = current;
        current = next;
        next = null;
        return true;
    }

    /** The session whose local index is {@code index}, or null. */
    public Session byLocalIndex(int index) {
        if (current != null && current.localIndex == index) {
            return current;
        }
        if (next != null && next.localIndex == index) {
            return next;
        }
        if (previous != null && previous.localIndex == index) {
            return previous;
        }
        return null;
    }

    /** Drops every session at least {@code maxAgeNs} old; returns true if current was among them. */
    public boolean expire(long nowNs, long maxAgeNs, java.util.function.Consumer<Session> dropped) {
        boolean currentExpired = false;
        if (previous != null && previous.ageNs(nowNs) >= maxAgeNs) {
            drop(previous, dropped);
            previous = null;
        }
        if (next != null && next.ageNs(nowNs) >= maxAgeNs) {
            drop(next, dropped);
            next = null;
        }
        if (current != null && current.ageNs(nowNs) >= maxAgeNs) {
            drop(current, dropped);
            current = null;
            currentExpired = true;
        }
        return currentExpired;
    }

    /** Earliest {@code createdNs + maxAgeNs} over the sessions, or {@link Long#MAX_VALUE}. */
    public long earliestExpiryNs(long maxAgeNs) {
        long t = Long.MAX_VALUE;
        if (previous != null) {
            t = Math.min(t, previous.createdNs + maxAgeNs);
        }
        if (current != null) {
            t = Math.min(t, current.createdNs + maxAgeNs);
        }
        if (next != null) {
            t = Math.min(t, next.createdNs + maxAgeNs);
        }
        return t;
    }

    /** Drops all sessions. */
    public void clear(java.util.function.Consumer<Session> dropped) {
        drop(previous, dropped);
        drop(current, dropped);
        drop(next, dropped);
        previous = current = next = null;
    }

    private static void drop(Session s, java.util.function.Consumer<Session> dropped) {
        if (s != null) {
            s.erase();
            dropped.accept(s);
        }
    }
}
