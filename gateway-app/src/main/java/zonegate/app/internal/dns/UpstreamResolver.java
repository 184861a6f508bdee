package zonegate.app.internal.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import zonegate.app.internal.dns.UpstreamExchange.Outcome;
import zonegate.app.internal.dns.UpstreamExchange.Question;
import zonegate.tunnel.dns.DnsAnswers;
import zonegate.tunnel.dns.DnsParseResult;
import zonegate.tunnel.dns.DnsParser;
import zonegate.tunnel.dns.DnsQuery;
import zonegate.tunnel.dns.DnsQueryWriter;

/**
 * Asks the configured upstream resolvers on behalf of the gateway's DNS server: {@link #resolve} looks up
 * a DNS resource's A and AAAA records (in parallel), {@link #forward} relays a client's own query.
 *
 * <p>Each query gets up to {@link UpstreamConfig#tries()} tries of {@link UpstreamConfig#tryTimeout()},
 * each on the next server (the first server rotates per query, spreading load); a try goes over UDP and,
 * when the answer has TC set, again over TCP to the same server (RFC 7766; if TCP fails the truncated
 * answer is used). An answer with SERVFAIL, REFUSED, FORMERR or NOTIMP moves on to the next server too.
 * Every query has a random id (16 bits from a {@link SecureRandom}) and its own socket on a random
 * ephemeral port; answers must repeat our id and question (RFC 5452).
 *
 * <p>Bounds: at most {@link UpstreamConfig#maxInFlight()} exchanges at once (a resolve holds two, a
 * forward one); beyond that a call fails at once with {@link UpstreamFailure#BUSY}, counted, so a flood
 * of queries cannot open unbounded sockets. Thread-safe; the methods block, so call them from virtual
 * threads. {@link #close()} makes calls in flight fail with {@link UpstreamFailure#CLOSED}.
 */
public final class UpstreamResolver implements AutoCloseable {
    private final UpstreamConfig config;
    private final long tryTimeoutNs;
    private final Semaphore permits;
    private final UpstreamCounters counters = new UpstreamCounters();
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private final UpstreamExchange exchange = new UpstreamExchange(open, counters, () -> this.closed);
    private final List<StateChangeLog> health;
    private final AtomicInteger rotation = new AtomicInteger();
    private final RandomGenerator ids = new SecureRandom();
    private final ExecutorService lookups =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dns-upstream-", 0).factory());
    private volatile boolean closed;

    public UpstreamResolver(UpstreamConfig config) {
        this.config = config;
        this.tryTimeoutNs = config.tryTimeout().toNanos();
        this.permits = new Semaphore(config.maxInFlight());
        this.health = config.servers().stream().map(s -> new StateChangeLog("upstream DNS " + s)).toList();
        rotation.set(ids.nextInt(Math.max(1, config.servers().size())));
    }

    /**
     * The A and AAAA addresses of {@code name} (both queried at once): {@link Resolution.Addresses} when
     * either has some (IPv4 first), {@link Resolution.NoAddresses} for NXDOMAIN or NODATA on both,
     * {@link Resolution.Failed} otherwise. Blocks for at most about 2 x tries x tryTimeout.
     */
    public Resolution resolve(String name) {
        UpstreamFailure refusal = refusal(2);
        if (refusal != null) {
            return new Resolution.Failed(refusal);
        }
        try {
            Future<Outcome> ipv6 = lookups.submit(() -> lookup(name, DnsQuery.TYPE_AAAA));
            Outcome ipv4 = lookup(name, DnsQuery.TYPE_A);
            return combine(ipv4, ipv6.get());
        } catch (RejectedExecutionException | ExecutionException e) {
            return new Resolution.Failed(UpstreamFailure.CLOSED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Resolution.Failed(UpstreamFailure.CLOSED);
        } finally {
            permits.release(2);
        }
    }

    /**
     * Relays a client's query (the raw message, which must parse as one) under a random id and returns
     * the upstream's response with the client's id put back, whatever its rcode. Blocks for at most about
     * 2 x tries x tryTimeout.
     */
    public ForwardResult forward(byte[] query) {
        if (!(DnsParser.parse(ByteBuffer.wrap(query), 0, query.length) instanceof DnsParseResult.Query(var q))) {
            return new ForwardResult.Failed(UpstreamFailure.BAD_QUERY);
        }
        UpstreamFailure refusal = refusal(1);
        if (refusal != null) {
            return new ForwardResult.Failed(refusal);
        }
        try {
            int id = nextId();
            byte[] ours = query.clone();
            ours[0] = (byte) (id >> 8);
            ours[1] = (byte) id;
            return switch (exchange(ours, new Question(id, q.name(), q.type(), q.qclass()))) {
                case Outcome.Answered(byte[] response, _) -> {
                    response[0] = (byte) (q.id() >> 8);
                    response[1] = (byte) q.id();
                    yield new ForwardResult.Relayed(response);
                }
                case Outcome.Failed(UpstreamFailure reason, _) -> new ForwardResult.Failed(reason);
            };
        } finally {
            permits.release();
        }
    }

    public UpstreamCounters counters() {
        return counters;
    }

    /** Fails the calls in flight (their sockets are closed) and every later call. Idempotent. */
    @Override
    public void close() {
        closed = true;
        lookups.shutdownNow();
        for (Channel channel : open) {
            try {
                channel.close();
            } catch (java.io.IOException e) {
                // closing a socket we are abandoning anyway; nothing to do
            }
        }
    }

    /** Why a call cannot start now (closed, no servers, too many in flight), or null after taking permits. */
    private UpstreamFailure refusal(int exchanges) {
        if (closed) {
            return UpstreamFailure.CLOSED;
        }
        if (config.servers().isEmpty()) {
            return UpstreamFailure.NO_SERVERS;
        }
        if (!permits.tryAcquire(exchanges)) {
            counters.busy.increment();
            return UpstreamFailure.BUSY;
        }
        return null;
    }

    private Outcome lookup(String name, int type) {
        byte[] buffer = new byte[DnsQueryWriter.MAX_QUERY_BYTES];
        int id = nextId();
        int length = DnsQueryWriter.write(id, name, type, true, ByteBuffer.wrap(buffer), 0);
        if (length < 0) {
            return new Outcome.Failed(UpstreamFailure.BAD_NAME, name);
        }
        return exchange(Arrays.copyOf(buffer, length), new Question(id, name, type, DnsQuery.CLASS_IN));
    }

    /** Up to {@code tries} tries on rotating servers; the last answer with an error rcode if nothing better. */
    private Outcome exchange(byte[] query, Question question) {
        List<InetSocketAddress> servers = config.servers();
        int first = rotation.getAndIncrement();
        Outcome last = null;
        for (int t = 0; t < config.tries() && !closed; t++) {
            int index = Math.floorMod(first + t, servers.size());
            InetSocketAddress server = servers.get(index);
            Outcome outcome = exchange.udp(server, query, question, tryTimeoutNs);
            if (outcome instanceof Outcome.Answered(_, DnsAnswers answers) && answers.truncated()) {
                counters.truncatedAnswers.increment();
                Outcome overTcp = exchange.tcp(server, query, question, tryTimeoutNs);
                outcome = overTcp instanceof Outcome.Answered ? overTcp : outcome;
            }
            switch (outcome) {
                case Outcome.Answered(_, DnsAnswers answers) -> {
                    if (answers.noError() || answers.nxDomain()) {
                        health.get(index).onSuccess();
                        return outcome;
                    }
                    counters.errorRcodes.increment();
                    health.get(index).onFailure("rcode " + answers.rcode(), "for " + question.name());
                    last = outcome;
                }
                case Outcome.Failed(UpstreamFailure reason, String detail) -> {
                    health.get(index).onFailure(reason, detail);
                    if (reason == UpstreamFailure.CLOSED) {
                        return outcome;
                    }
                    last = last instanceof Outcome.Answered ? last : outcome;
                }
            }
        }
        return last != null ? last : new Outcome.Failed(UpstreamFailure.CLOSED, "resolver closed");
    }

    private static Resolution combine(Outcome ipv4, Outcome ipv6) {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        long ttlSeconds = Long.MAX_VALUE;
        boolean nxDomain = false;
        int noData = 0;
        UpstreamFailure failure = null;
        for (Outcome outcome : List.of(ipv4, ipv6)) {
            switch (outcome) {
                case Outcome.Answered(_, DnsAnswers answers) -> {
                    if (answers.noError() && !answers.addresses().isEmpty()) {
                        addresses.addAll(answers.addresses());
                        ttlSeconds = Math.min(ttlSeconds, answers.minTtlSeconds());
                    } else if (answers.noError()) {
                        noData++;
                    } else if (answers.nxDomain()) {
                        nxDomain = true;
                    } else {
                        failure = failure != null ? failure : UpstreamFailure.UPSTREAM_ERROR;
                    }
                }
                case Outcome.Failed(UpstreamFailure reason, _) -> failure = failure != null ? failure : reason;
            }
        }
        if (!addresses.isEmpty()) {
            List<InetAddress> ordered = new ArrayList<>(addresses);
            ordered.sort(Comparator.comparingInt(a -> a instanceof Inet4Address ? 0 : 1));
            return new Resolution.Addresses(ordered, ttlSeconds);
        }
        if (nxDomain || noData == 2) {
            return new Resolution.NoAddresses(nxDomain);
        }
        return new Resolution.Failed(failure != null ? failure : UpstreamFailure.UPSTREAM_ERROR);
    }

    private int nextId() {
        return ids.nextInt(1 << 16);
    }
}
