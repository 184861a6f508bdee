/**
 * Nodes and connections, and the gateway state machine: {@link zonegate.tunnel.GatewayState} serves
 * directly connected WireGuard clients (decrypt, anti-spoofing, filter decisions with ICMP errors,
 * DNS-resource NAT and NAT64, encrypt back), sans-IO. {@code zonegate.tunnel.dns} is the DNS message
 * codec the shell's stub-facing DNS server uses.
 */
module zonegate.tunnel {
    requires transitive zonegate.node;
    requires transitive zonegate.filter;
    requires transitive zonegate.nat64;
    requires transitive zonegate.packet;
    requires org.tinylog.api;

    exports zonegate.tunnel;
    exports zonegate.tunnel.dns;
}
