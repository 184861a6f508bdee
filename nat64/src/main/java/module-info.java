/** RFC 7915 stateless IP/ICMP translation and the gateway's DNS-resource NAT table. Not built yet. */
module zonegate.nat64 {
    requires zonegate.packet;
}
