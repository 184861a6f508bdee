package zonegate.app.internal.dns;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tinylog.Logger;
import zonegate.app.internal.dns.ClientQuotas.Kind;
import zonegate.filter.ClientId;
import zonegate.tunnel.DnsAssignment;
import zonegate.tunnel.DnsPlan;
import zonegate.tunnel.dns.DnsParseResult;
import zonegate.tunnel.dns.DnsParser;
import zonegate.tunnel.dns.DnsQuery;
import zonegate.tunnel.dns.DnsRcode;
import zonegate.tunnel.dns.DnsRejection;
import zonegate.tunnel.dns.DnsResponseWriter;

/**
 * Answers one client message, from bytes to bytes: parse, ask the {@link DnsBackend} for the plan, then
 * answer a DNS resource's name with the client's proxy addresses (after resolving the name upstream, so
 * the state machine can map proxies to real addresses), relay other names upstream, or refuse.
 *
 * <p>Answers: A and AAAA for a resource get its 4 proxies of that family with a TTL of
 * {@link DnsResponseWriter#DEFAULT_TTL_SECONDS}; other types NODATA; a resource whose name the upstream
 * does not know NXDOMAIN, one it cannot resolve SERVFAIL, one that resolves to an address the gateway
 * refuses as a translation target ({@link DnsAssignment.Reason#FORBIDDEN_TARGET}) SERVFAIL. Upstream
 * exchanges count against the client's {@link ClientQuotas} (SERVFAIL beyond them). A response that
 * does not fit {@code maxBytes} (the client's UDP size) is cut with TC set so the client asks again
 * over TCP. Blocking: runs on the query's virtual thread. Bad input never throws: unparseable messages get FORMERR (NOTIMP for an
 * opcode we do not serve) when their header is readable, and nothing otherwise.
 */
final class DnsQueryHandler {
    /** Room for any response this class writes itself: header, a 255-byte name, 8 answers, OPT. */
    private static final int RESPONSE_BUFFER_BYTES = 1024;
    private static final int FLAG_TC = 0x02;

    private final DnsBackend backend;
    private final UpstreamResolver upstream;
    private final DnsServerCounters counters;
    private final ClientQuotas quotas;
    private final long backendTimeoutNs;
    private final StateChangeLog backendLog = new StateChangeLog("DNS backend (gateway state thread)");

    DnsQueryHandler(DnsBackend backend, UpstreamResolver upstream, DnsServerCounters counters, ClientQuotas quotas,
                    long backendTimeoutNs) {
        this.backend = backend;
        this.upstream = upstream;
        this.counters = counters;
        this.quotas = quotas;
        this.backendTimeoutNs = backendTimeoutNs;
    }

    /**
     * The response to the message in {@code message[0, length)} from {@code client} (its tunnel address
     * and who it is), at most {@code maxUdpBytes} long unless over TCP; or null to send nothing.
     */
    byte[] answer(byte[] message, int length, InetAddress client, ClientId id, boolean tcp) {
        return respond(message, length, client, tcp, q -> answerQuery(q, Arrays.copyOf(message, length), client, id,
                tcp ? UpstreamExchange.MAX_MESSAGE_BYTES : q.udpResponseLimitBytes()));
    }

    /** SERVFAIL for a query over the client's in-flight bound (over TCP, where dropping would stall it). */
    byte[] busy(byte[] message, int length, InetAddress client) {
        return respond(message, length, client, true,
                q -> empty(q, DnsRcode.SERVFAIL, UpstreamExchange.MAX_MESSAGE_BYTES));
    }

    private byte[] respond(byte[] message, int length, InetAddress client, boolean tcp,
                           Function<DnsQuery, byte[]> answerer) {
        counters.queries.increment();
        if (tcp) {
            counters.tcpQueries.increment();
        }
        byte[] response = switch (DnsParser.parse(ByteBuffer.wrap(message), 0, length)) {
            case DnsParseResult.Rejected rejected -> rejected(rejected, client);
            case DnsParseResult.Query(DnsQuery q) -> {
                byte[] r = answerer.apply(q);
                Logger.trace("DNS {} type {} from {} over {}: rcode {}{}", q.name(), q.type(), client,
                        tcp ? "TCP" : "UDP", r[3] & 0xF, (r[2] & FLAG_TC) != 0 ? " truncated" : "");
                yield r;
            }
        };
        if (response != null) {
            count(response);
        }
        return response;
    }

    private byte[] rejected(DnsParseResult.Rejected rejected, InetAddress client) {
        counters.malformed.increment();
        Logger.trace("DNS from {}: not a query we answer ({})", client, rejected.reason());
        if (!rejected.answerable()) {
            counters.dropped.increment();
            return null;
        }
        DnsRcode rcode = rejected.reason() == DnsRejection.UNSUPPORTED_OPCODE ? DnsRcode.NOTIMP : DnsRcode.FORMERR;
        ByteBuffer out = ByteBuffer.allocate(RESPONSE_BUFFER_BYTES);
        return bytes(out, DnsResponseWriter.writeHeaderOnly(rejected.id(), rcode, out, 0));
    }

    private byte[] answerQuery(DnsQuery q, byte[] query, InetAddress client, ClientId id, int maxBytes) {
        DnsPlan plan;
        try {
            plan = await(backend.plan(client, q.name()));
        } catch (BackendUnavailable e) {
            return empty(q, DnsRcode.SERVFAIL, maxBytes);
        }
        return switch (plan) {
            case DnsPlan.Resource resource -> {
                counters.resourcePlans.increment();
                yield resource(q, resource.domain(), client, id, maxBytes);
            }
            case DnsPlan.Forward() -> {
                counters.forwardPlans.increment();
                yield forward(q, query, id, maxBytes);
            }
            case DnsPlan.Refuse() -> {
                counters.refusePlans.increment();
                yield empty(q, DnsRcode.REFUSED, maxBytes);
            }
            case DnsPlan.UnknownClient() -> {
                counters.unknownClientPlans.increment();
                yield empty(q, DnsRcode.REFUSED, maxBytes);
            }
        };
    }

    private byte[] resource(DnsQuery q, String domain, InetAddress client, ClientId id, int maxBytes) {
        if (q.type() != DnsQuery.TYPE_A && q.type() != DnsQuery.TYPE_AAAA) {
            return empty(q, DnsRcode.NOERROR, maxBytes);
        }
        Resolution resolution = withUpstream(id, 2, () -> upstream.resolve(domain),
                new Resolution.Failed(UpstreamFailure.BUSY));
        return switch (resolution) {
            case Resolution.Addresses(var addresses, var ttlSeconds) -> {
                DnsAssignment assignment;
                try {
                    assignment = await(backend.assignProxies(client, domain, addresses));
                } catch (BackendUnavailable e) {
                    yield empty(q, DnsRcode.SERVFAIL, maxBytes);
                }
                yield switch (assignment) {
                    case DnsAssignment.Assigned(var proxies) -> {
                        ByteBuffer out = ByteBuffer.allocate(RESPONSE_BUFFER_BYTES);
                        yield bytes(out, DnsResponseWriter.writeAnswer(q, proxies.all(),
                                DnsResponseWriter.DEFAULT_TTL_SECONDS, maxBytes, out, 0));
                    }
                    case DnsAssignment.Refused(var reason) -> {
                        Logger.trace("DNS {} from {}: no proxy addresses given ({})", domain, client, reason);
                        if (reason == DnsAssignment.Reason.FORBIDDEN_TARGET) {
                            counters.forbiddenTargets.increment();
                            yield empty(q, DnsRcode.SERVFAIL, maxBytes);
                        }
                        yield empty(q, DnsRcode.REFUSED, maxBytes);
                    }
                };
            }
            case Resolution.NoAddresses(boolean nxDomain) ->
                    empty(q, nxDomain ? DnsRcode.NXDOMAIN : DnsRcode.SERVFAIL, maxBytes);
            case Resolution.Failed(UpstreamFailure reason) -> {
                counters.upstreamFailures.increment();
                Logger.trace("DNS {}: upstream failed ({})", domain, reason);
                yield empty(q, DnsRcode.SERVFAIL, maxBytes);
            }
        };
    }

    private byte[] forward(DnsQuery q, byte[] query, ClientId id, int maxBytes) {
        ForwardResult forwarded = withUpstream(id, 1, () -> upstream.forward(query),
                new ForwardResult.Failed(UpstreamFailure.BUSY));
        return switch (forwarded) {
            case ForwardResult.Relayed(byte[] response) -> {
                if (response.length <= maxBytes) {
                    yield response;
                }
                // RFC 2181 section 9: a response that does not fit is cut and marked; the client retries over TCP
                byte[] cut = empty(q, rcode(response[3] & 0xF), maxBytes);
                cut[2] |= FLAG_TC;
                yield cut;
            }
            case ForwardResult.Failed(UpstreamFailure reason) -> {
                counters.upstreamFailures.increment();
                Logger.trace("DNS {}: forwarding failed ({})", q.name(), reason);
                yield empty(q, DnsRcode.SERVFAIL, maxBytes);
            }
        };
    }

    /** The upstream call, holding {@code exchanges} of the client's upstream quota; {@code busy} beyond it. */
    private <T> T withUpstream(ClientId id, int exchanges, Supplier<T> call, T busy) {
        if (!quotas.tryAcquire(id, Kind.UPSTREAM_EXCHANGES, exchanges)) {
            counters.clientUpstreamLimited.increment();
            return busy;
        }
        try {
            return call.get();
        } finally {
            quotas.release(id, Kind.UPSTREAM_EXCHANGES, exchanges);
        }
    }

    /** The future's value within the backend timeout, or BackendUnavailable (counted, logged once per change). */
    private <T> T await(CompletableFuture<T> future) throws BackendUnavailable {
        try {
            T value = future.get(backendTimeoutNs, TimeUnit.NANOSECONDS);
            backendLog.onSuccess();
            return value;
        } catch (TimeoutException e) {
            future.cancel(false);
            return unavailable("no answer within " + TimeUnit.NANOSECONDS.toMillis(backendTimeoutNs) + " ms", e);
        } catch (ExecutionException e) {
            return unavailable("failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted", e);
        }
    }

    private <T> T unavailable(String kind, Throwable detail) throws BackendUnavailable {
        counters.backendFailures.increment();
        backendLog.onFailure(kind, detail);
        throw new BackendUnavailable();
    }

    private static byte[] empty(DnsQuery q, DnsRcode rcode, int maxBytes) {
        ByteBuffer out = ByteBuffer.allocate(RESPONSE_BUFFER_BYTES);
        return bytes(out, DnsResponseWriter.writeEmpty(q, rcode, maxBytes, out, 0));
    }

    private static byte[] bytes(ByteBuffer out, int length) {
        return Arrays.copyOf(out.array(), length);
    }

    private static DnsRcode rcode(int code) {
        for (DnsRcode rcode : DnsRcode.values()) {
            if (rcode.code() == code) {
                return rcode;
            }
        }
        return DnsRcode.SERVFAIL;
    }

    private void count(byte[] response) {
        int rcode = response[3] & 0xF;
        if (rcode == DnsRcode.REFUSED.code()) {
            counters.refused.increment();
        } else if (rcode == DnsRcode.SERVFAIL.code()) {
            counters.serverFailures.increment();
        } else if (rcode == DnsRcode.NXDOMAIN.code()) {
            counters.nxDomains.increment();
        }
        if ((response[2] & FLAG_TC) != 0) {
            counters.truncated.increment();
        }
    }

    /** The backend did not answer; the caller answers SERVFAIL. A control-flow signal, without a stack trace. */
    private static final class BackendUnavailable extends Exception {
        BackendUnavailable() {
            super("DNS backend unavailable", null, false, false);
        }
    }
}
