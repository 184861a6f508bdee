package zonegate.tunnel;

import java.util.Objects;
import zonegate.filter.ClientId;
import zonegate.filter.TunnelAddresses;
import zonegate.wireguard.PresharedKey;
import zonegate.wireguard.PublicKey;

/**
 * A client as the control plane describes it: who it is, the WireGuard key it connects with and the
 * tunnel addresses its packets must carry. The gateway keeps its own copy of the preshared key, so the
 * caller may destroy its key once the call that took this spec has returned.
 *
 * @param id the client's id (logged as {@code cid})
 * @param publicKey its WireGuard static public key (logged as {@code peer}); unique among clients
 * @param presharedKey its optional preshared key, or null
 * @param addresses its tunnel addresses, one IPv4 and one IPv6; unique among clients
 */
public record ClientSpec(ClientId id, PublicKey publicKey, PresharedKey presharedKey, TunnelAddresses addresses) {
    public ClientSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(addresses, "addresses");
    }

    /** This spec with an independent copy of the preshared key, for a holder that destroys it when done. */
    public ClientSpec withOwnKeyCopy() {
        return presharedKey == null ? this : new ClientSpec(id, publicKey, presharedKey.copy(), addresses);
    }
}
