package zonegate.tunnel;

/** What {@link GatewayState#assignDns} did with a resolved DNS resource. Switch over it exhaustively. */
public sealed interface DnsAssignment {
    /** The client's proxy addresses for the domain, now mapped to the resolved addresses. */
    record Assigned(ProxyAddresses proxies) implements DnsAssignment {
    }

    /** Nothing was mapped; the DNS server answers {@link Reason#FORBIDDEN_TARGET} with SERVFAIL, the rest REFUSED. */
    record Refused(Reason reason) implements DnsAssignment {
    }

    /** Why an assignment was refused. */
    enum Reason {
        /** The query's source is no client's tunnel address. */
        UNKNOWN_CLIENT,
        /** Not a usable domain name. */
        INVALID_NAME,
        /** Every proxy address of the client is in use or in quarantine. */
        POOL_FULL,
        /** The answer names an address no DNS resource may be translated to (loopback, the tunnel ranges, ...). */
        FORBIDDEN_TARGET
    }
}
