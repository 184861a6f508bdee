package zonegate.ice.internal;

import zonegate.ice.IceRole;

/**
 * One Binding request transaction (a connectivity, nomination or consent check) and its
 * retransmission schedule (see {@link zonegate.ice.IceConfig}).
 */
final class Check {
    /** What the check is for. */
    enum Kind { CONNECTIVITY, NOMINATION, CONSENT }

    final Kind kind;
    final Pair pair;
    final int idHigh;
    final long idLow;
    final byte[] bytes;
    final IceRole roleAtSend;
    final long priorityAtSend;
    final long startNs;
    final long timeoutNs;
    int retransmits;
    long nextSendNs;
    /** RFC 8445 7.3.1.4: no more retransmissions, no failure on timeout, a response is still used. */
    boolean cancelled;

    Check(Kind kind, Pair pair, int idHigh, long idLow, byte[] bytes, IceRole roleAtSend, long priorityAtSend,
            long startNs, long firstRtoNs, long timeoutNs) {
        this.kind = kind;
        this.pair = pair;
        this.idHigh = idHigh;
        this.idLow = idLow;
        this.bytes = bytes;
        this.roleAtSend = roleAtSend;
        this.priorityAtSend = priorityAtSend;
        this.startNs = startNs;
        this.timeoutNs = timeoutNs;
        this.nextSendNs = startNs + firstRtoNs;
    }

    long deadlineNs() {
        return cancelled ? startNs + timeoutNs : Math.min(nextSendNs, startNs + timeoutNs);
    }
}
