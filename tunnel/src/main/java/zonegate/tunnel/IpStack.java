package zonegate.tunnel;

/** Which address families a DNS resource is reached over (the records the client's stub resolver returns). */
public enum IpStack {
    /** IPv4 and IPv6 (the default). */
    DUAL,
    /** A records only; AAAA queries get an empty NOERROR answer. */
    IPV4_ONLY,
    /** AAAA records only; A queries get an empty NOERROR answer. */
    IPV6_ONLY;

    /** Whether IPv4 proxy addresses are handed out. */
    public boolean ipv4() {
        return this != IPV6_ONLY;
    }

    /** Whether IPv6 proxy addresses are handed out. */
    public boolean ipv6() {
        return this != IPV4_ONLY;
    }
}
