package zonegate.portal.internal;

import zonegate.controlplane.Wire;

/**
 * What the portal minted for one (client, gateway) connection, reused for every resource the client
 * reaches through that gateway until either side comes back with another public key.
 *
 * @param presharedKey the WireGuard preshared key (32 random bytes, base64)
 */
record Material(String clientPublicKey, String gatewayPublicKey, String presharedKey, Wire.IceCredentials clientIce,
        Wire.IceCredentials gatewayIce) {
    @Override
    public String toString() {
        return "Material[secrets hidden]";
    }
}
