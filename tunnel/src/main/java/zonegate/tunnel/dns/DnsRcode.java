package zonegate.tunnel.dns;

/** The response codes the gateway's DNS server answers with (RFC 1035 section 4.1.1). */
public enum DnsRcode {
    NOERROR(0),
    /** The query could not be interpreted. */
    FORMERR(1),
    /** The server failed (e.g. resolving the resource's name failed). */
    SERVFAIL(2),
    /** The name does not exist. */
    NXDOMAIN(3),
    /** The opcode is not supported. */
    NOTIMP(4),
    /** The client may not ask this. */
    REFUSED(5);

    private final int code;

    DnsRcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
