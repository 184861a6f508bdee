/**
 * Views over IP packets in buffers: IPv4, IPv6, UDP, TCP, ICMPv4 and ICMPv6, their checksums (full and
 * RFC 1624 incremental), builders for the packets a gateway originates, and a bounded buffer pool.
 *
 * <p>Entry point: {@link zonegate.packet.PacketParser}. Everything here is sans-IO, allocation-free on
 * the data path once warm, and never throws on malformed bytes (rejections are values).
 */
module zonegate.packet {
    exports zonegate.packet;
    // virtio_net_hdr, GSO segmentation and TCP coalescing for a TUN device with offloads (used by the shell).
    exports zonegate.packet.gso;
    // Network-order buffer access, shared with the translators instead of copied there.
    exports zonegate.packet.internal to zonegate.nat64;
}
