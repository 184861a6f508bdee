package zonegate.app.internal.dns;

import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;

/**
 * What every listener of one {@link GatewayDnsServer} shares: the query handler, the client directory
 * ({@link DnsBackend#clientOf}), counters, per-client quotas, the virtual-thread executor and the
 * server's closed flag.
 */
record ListenerContext(DnsQueryHandler handler, DnsBackend backend, DnsServerCounters counters, ClientQuotas quotas,
                       ExecutorService workers, BooleanSupplier closed) {
}
