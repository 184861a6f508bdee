package zonegate.filter;

/**
 * One traffic filter of a resource: what a client may send to it. A resource with an empty filter
 * list permits everything (every protocol, every port); a non-empty list permits exactly the union of
 * its filters, and nothing of other protocols.
 *
 * <pre>{@code
 * List<Filter> filters = List.of(new Filter.Tcp(443, 443), new Filter.Udp(5000, 5999), new Filter.Icmp());
 * }</pre>
 */
public sealed interface Filter {

    /**
     * TCP to destination ports {@code fromPort..toPort}, both inclusive.
     *
     * @throws IllegalArgumentException unless {@code 0 <= fromPort <= toPort <= 65535}
     */
    record Tcp(int fromPort, int toPort) implements Filter {
        public Tcp {
            checkPorts("TCP", fromPort, toPort);
        }
    }

    /**
     * UDP to destination ports {@code fromPort..toPort}, both inclusive.
     *
     * @throws IllegalArgumentException unless {@code 0 <= fromPort <= toPort <= 65535}
     */
    record Udp(int fromPort, int toPort) implements Filter {
        public Udp {
            checkPorts("UDP", fromPort, toPort);
        }
    }

    /** ICMP (on IPv4) and ICMPv6 (on IPv6), every type and code. */
    record Icmp() implements Filter {
    }

    private static void checkPorts(String protocol, int fromPort, int toPort) {
        if (fromPort < 0 || toPort > 65535 || fromPort > toPort) {
            throw new IllegalArgumentException(
                    protocol + " port range " + fromPort + "-" + toPort + " is not within 0..65535 in order");
        }
    }
}
