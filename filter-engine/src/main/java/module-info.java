/**
 * Resources (CIDR, DNS patterns, the Internet), per-resource traffic filters, per-client
 * authorisations with expiry, and the per-packet routing decision of the gateway: which resource a
 * client's packet is for, whether its filters permit it, and which ICMP error to send back if not.
 * Sans-IO: time is passed in, nothing here reads a clock, starts a thread or does I/O.
 */
module zonegate.filter {
    requires transitive zonegate.packet;
    requires org.tinylog.api;

    exports zonegate.filter;
}
