package zonegate.app.internal.dns;

import java.net.InetAddress;
import java.util.Map;
import zonegate.filter.ClientId;

/**
 * The clients' tunnel addresses, as the state thread last published them ({@link #publish}), for the
 * DNS server's threads to read without asking the state thread. Thread-safe: an immutable map behind a
 * volatile reference.
 */
public final class DnsClients {
    private volatile Map<InetAddress, ClientId> byAddress = Map.of();

    /** Replaces the directory (on the state thread, after every policy change). */
    public void publish(Map<InetAddress, ClientId> clients) {
        byAddress = Map.copyOf(clients);
    }

    /** The client whose tunnel address {@code source} is, or null. */
    public ClientId clientOf(InetAddress source) {
        return byAddress.get(source);
    }
}
