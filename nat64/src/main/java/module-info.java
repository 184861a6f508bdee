/**
 * RFC 7915 stateless IP/ICMP translation (SIIT, with RFC 6052 address embedding) and the gateway's
 * per-client DNS-resource NAT table, which maps a client's proxy addresses onto the addresses resolved
 * for a domain and translates across address families (NAT64/NAT46) when the domain has no address in
 * the family the client used.
 *
 * <p>Entry points: {@link zonegate.nat64.Nat64Translator} (stateless) and
 * {@link zonegate.nat64.DnsNatTable} with its shared {@link zonegate.nat64.SharedPortSpace} (stateful).
 * Sans-IO, allocation-free per packet once warm, never throws on malformed packets (drops are values).
 */
module zonegate.nat64 {
    requires zonegate.packet;
    requires org.tinylog.api;

    exports zonegate.nat64;
}
