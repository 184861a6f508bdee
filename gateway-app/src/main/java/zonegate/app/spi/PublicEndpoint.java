package zonegate.app.spi;

import java.util.Objects;

/**
 * Where clients reach the gateway's WireGuard port from outside: a host name or address and a UDP
 * port. {@link #toString()} is the wg-quick {@code Endpoint} form, with brackets around IPv6
 * addresses: {@code vpn.example.com:51820}, {@code [2001:db8::1]:51820}.
 *
 * @param host a DNS name, IPv4 address or IPv6 address (without brackets), non-empty
 * @param port 1..65535
 */
public record PublicEndpoint(String host, int port) {
    public PublicEndpoint {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("an endpoint needs a host and a port in 1..65535");
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
