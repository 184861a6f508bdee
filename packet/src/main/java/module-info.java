/**
 * Views over IP packets in buffers: IPv4, IPv6, UDP, TCP, ICMPv4 and ICMPv6, their checksums (full and
 * RFC 1624 incremental), builders for the packets a gateway originates, and a bounded buffer pool.
 */
module zonegate.packet {
}
