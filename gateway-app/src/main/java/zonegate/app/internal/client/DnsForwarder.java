package zonegate.app.internal.client;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The bookkeeping of DNS queries the stub resolver forwards to an upstream server over the client's DNS
 * sockets. Each query leaves with a transaction id of ours (random, unique per upstream while waiting), so
 * queries of different applications that chose the same id cannot be confused, and an answer is only taken
 * from the server the query went to, with that id; the application's id is put back before the stub resolver
 * sees the answer.
 *
 * <p>At most {@value #MAX_PENDING} queries wait; a query waits {@value #TIMEOUT_MS} ms at most (the stub
 * resolver gives up on its own before that: this only frees the slot). State thread only.
 */
final class DnsForwarder {
    static final int MAX_PENDING = 1024;
    static final long TIMEOUT_MS = 10_000;
    private static final long TIMEOUT_NS = TIMEOUT_MS * 1_000_000;
    private static final int HEADER_BYTES = 12;

    /** A forwarded query matched to its answer. */
    record Answer(long queryId) {
    }

    private record Key(InetSocketAddress upstream, int transactionId) {
    }

    private record Pending(long queryId, int originalId, long deadlineNs) {
    }

    private final RandomGenerator random;
    /** Insertion order is deadline order: every query waits the same time. */
    private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    private long refused;
    private long unmatched;

    DnsForwarder(RandomGenerator random) {
        this.random = random;
    }

    /**
     * Records {@code message} as sent to {@code upstream} and writes it into {@code out} with our id.
     *
     * @return false when it cannot go (too many waiting, or not a DNS message): answer it as failed
     */
    boolean prepare(long queryId, InetSocketAddress upstream, byte[] message, ByteBuffer out, long nowNs) {
        expire(nowNs);
        if (pending.size() >= MAX_PENDING || message.length < HEADER_BYTES || message.length > out.remaining()) {
            refused++;
            return false;
        }
        int id;
        do {
            id = random.nextInt(0x10000);
        } while (pending.containsKey(new Key(upstream, id)));
        pending.put(new Key(upstream, id), new Pending(queryId, ((message[0] & 0xFF) << 8) | (message[1] & 0xFF),
                nowNs + TIMEOUT_NS));
        int start = out.position();
        out.put(message).flip();
        out.putShort(start, (short) id);
        return true;
    }

    /**
     * The query an answer from {@code from} belongs to, with the application's id restored in {@code answer}, or
     * null when it answers nothing we asked (counted).
     */
    Answer match(InetSocketAddress from, ByteBuffer answer) {
        int at = answer.position();
        if (answer.remaining() < HEADER_BYTES || (answer.get(at + 2) & 0x80) == 0) {
            unmatched++;
            return null;
        }
        Pending p = pending.remove(new Key(from, answer.getShort(at) & 0xFFFF));
        if (p == null) {
            unmatched++;
            return null;
        }
        answer.putShort(at, (short) p.originalId());
        return new Answer(p.queryId());
    }

    /** Frees the slots of queries that waited too long. */
    void expire(long nowNs) {
        for (Iterator<Pending> i = pending.values().iterator(); i.hasNext(); ) {
            if (i.next().deadlineNs() - nowNs > 0) {
                return;
            }
            i.remove();
        }
    }

    /** When the oldest waiting query's slot expires, or {@link Long#MAX_VALUE}. */
    long nextExpiryNs() {
        for (Map.Entry<Key, Pending> e : pending.entrySet()) {
            return e.getValue().deadlineNs();
        }
        return Long.MAX_VALUE;
    }

    /** Forgets every waiting query (a reset: the stub resolver forgot them too). */
    void clear() {
        pending.clear();
    }

    int pendingCount() {
        return pending.size();
    }

    /** Queries that could not be sent (too many waiting). */
    long refused() {
        return refused;
    }

    /** Datagrams on the DNS sockets that answered no waiting query. */
    long unmatched() {
        return unmatched;
    }
}
