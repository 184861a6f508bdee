package zonegate.tunnel.internal;

import zonegate.filter.ClientFilter;
import zonegate.filter.ClientId;
import zonegate.nat64.DnsNatTable;
import zonegate.tunnel.ClientSpec;
import zonegate.wireguard.Tunnel;

/** Everything the gateway holds for one client. Owned by {@link ClientTable}. */
public final class ClientEntry {
    public final ClientId id;
    /** A small number unique among live clients, for the denial log's keys. */
    public final int serial;
    public ClientSpec spec;
    public Tunnel tunnel;
    public final ClientFilter filter;
    /** Created on the first DNS-resource domain. */
    public DnsProxies dns;
    public DnsNatTable nat;
    /** Whether a session is up, as last reported (for connect/expire events once per change). */
    public boolean connected;

    ClientEntry(ClientId id, int serial, ClientSpec spec, Tunnel tunnel, ClientFilter filter) {
        this.id = id;
        this.serial = serial;
        this.spec = spec;
        this.tunnel = tunnel;
        this.filter = filter;
    }

    public int ipv4() {
        return spec.addresses().ipv4();
    }

    public long ipv6High() {
        return spec.addresses().ipv6High();
    }

    public long ipv6Low() {
        return spec.addresses().ipv6Low();
    }
}
