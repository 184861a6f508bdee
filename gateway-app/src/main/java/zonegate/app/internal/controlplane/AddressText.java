package zonegate.app.internal.controlplane;

import java.net.Inet4Address;
import java.net.InetAddress;
import zonegate.app.spi.InterfaceAddress;
import zonegate.app.spi.PublicEndpoint;
import zonegate.filter.Cidr;

/** Parses the address forms of the configuration file; never resolves names. */
final class AddressText {
    private AddressText() {}

    /**
     * A bare IPv4 or IPv6 address (no prefix length, no zone).
     *
     * @throws IllegalArgumentException naming the problem
     */
    static InetAddress host(String text) {
        if (text.indexOf('/') >= 0) {
            throw new IllegalArgumentException("expected an address without a prefix length, got \"" + text + "\"");
        }
        Cidr host;
        InetAddress address;
        try {
            host = Cidr.parse(text);
            address = InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address", e);
        }
        if (host.version() == 6 && address instanceof Inet4Address) {
            throw new IllegalArgumentException("IPv4-mapped IPv6 addresses are not accepted: \"" + text + "\"");
        }
        return address;
    }

    /**
     * An interface address with its range's prefix length, e.g. {@code 100.64.0.1/11}; the address
     * must be neither the range's network address nor (IPv4) its broadcast address.
     *
     * @throws IllegalArgumentException naming the problem
     */
    static InterfaceAddress interfaceAddress(String text, int version) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected an address with a prefix length, like "
                    + (version == 4 ? "100.64.0.1/11" : "fd00:2021:1111::1/107") + ", got \"" + text + "\"");
        }
        Cidr.parse(text);
        InetAddress address = host(text.substring(0, slash));
        if ((address instanceof Inet4Address ? 4 : 6) != version) {
            throw new IllegalArgumentException("expected an IPv" + version + " address, got \"" + text + "\"");
        }
        InterfaceAddress result = new InterfaceAddress(address, Integer.parseInt(text.substring(slash + 1)));
        Cidr range = result.range();
        Cidr host = result.host();
        if (host.low() == range.low() && host.high() == range.high()) {
            throw new IllegalArgumentException(text + " is the network address of its range, not a host address");
        }
        if (version == 4 && host.low() == range.lastLow()) {
            throw new IllegalArgumentException(text + " is the broadcast address of its range");
        }
        return result;
    }

    /**
     * A network range in canonical form (no host bits set below the prefix).
     *
     * @throws IllegalArgumentException naming the problem
     */
    static Cidr range(String text) {
        Cidr cidr = Cidr.parse(text.indexOf('/') < 0 ? text + (text.indexOf(':') < 0 ? "/32" : "/128") : text);
        Cidr host = Cidr.parse(text.substring(0, text.indexOf('/') < 0 ? text.length() : text.indexOf('/')));
        if (host.high() != cidr.high() || host.low() != cidr.low()) {
            throw new IllegalArgumentException("\"" + text + "\" has host bits set; the range is " + cidr);
        }
        return cidr;
    }

    /** Whether two ranges share any address. */
    static boolean overlap(Cidr a, Cidr b) {
        if (a.version() != b.version()) {
            return false;
        }
        Cidr wider = a.prefixLengthBits() <= b.prefixLengthBits() ? a : b;
        Cidr narrower = wider == a ? b : a;
        return wider.version() == 4 ? wider.containsV4((int) narrower.low())
                : wider.containsV6(narrower.high(), narrower.low());
    }

    /**
     * {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException naming the problem
     */
    static PublicEndpoint endpoint(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected host:port (or [ipv6]:port), got \"" + text + "\"");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            host(host);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 endpoint needs brackets: [" + host + "]:port");
        } else if (!host.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.'))) {
            throw new IllegalArgumentException("\"" + host + "\" is not a host name or address");
        }
        String portText = text.substring(colon + 1);
        if (portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad port \"" + portText + "\" in \"" + text + "\"");
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        return new PublicEndpoint(host, port);
    }
}
