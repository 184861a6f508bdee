/**
 * Nodes and connections, and the gateway state machine: {@link zonegate.tunnel.GatewayState} serves
 * directly connected WireGuard clients (decrypt, anti-spoofing, filter decisions with ICMP errors,
 * DNS-resource NAT and NAT64, encrypt back), sans-IO. {@code zonegate.tunnel.dns} is the DNS message
 * codec the shell's stub-facing DNS server uses.
 */
module zonegate.tunnel {
    requires zonegate.wireguard;
    requires zonegate.ice;
    requires zonegate.turn;
    requires zonegate.filter;
    requires zonegate.nat64;
    requires zonegate.packet;
    requires org.tinylog.api;

    exports zonegate.tunnel;
    exports zonegate.tunnel.dns;
}
