package zonegate.app.internal.observe;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Parses {@code --metrics ADDR:PORT}: an IP literal (IPv6 in brackets, {@code [::1]:9464}) and a port. Host
 * names are refused (no DNS lookup at start). An address that is not loopback is allowed: the caller logs a
 * WARN, since the listener has no authentication.
 */
public final class MetricsAddress {
    private MetricsAddress() {
    }

    /** The socket address, or null when {@code text} is not {@code IP:PORT}. */
    public static InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return null;
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            return null;
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535) {
                return null;
            }
            return new InetSocketAddress(InetAddress.ofLiteral(host), port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
