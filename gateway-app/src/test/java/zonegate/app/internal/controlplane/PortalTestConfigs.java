package zonegate.app.internal.controlplane;

import java.nio.file.Path;

/** A valid portal.json and helpers for the portal file's tests. */
final class PortalTestConfigs {
    static final String GATEWAY_HASH = "acf72e1e008bd82c8a08ebee883ac904d34e70865ca615bbb64bb8d615247b26";
    static final String RELAY_HASH = "bcc3c7eafc5140f2bdc4927a91f57e2813d6aff5bde9e285b2c54824c061e88e";
    static final String ALICE_HASH = "970bdbff0ca110bcaac3a4e28cee6dcb24cc9689fd65bcfa7383595567ae36c8";
    static final String BOB_HASH = "1b93891181f4705cb9af61d63e9dcdea463b34a68e8fa21757f87d89fac347d0";

    static final String VALID = """
            {
              "portal": { "listen": "127.0.0.1:8443" },
              "sites": [
                { "id": "office", "name": "Office" }
              ],
              "gateways": [
                { "name": "gw-1", "site": "office", "tokenSha256": "%s" }
              ],
              "relays": [
                { "name": "relay-1", "tokenSha256": "%s" }
              ],
              "clients": [
                { "name": "alice", "tokenSha256": "%s", "ipv4": "100.64.0.2", "ipv6": "fd00:2021:1111::2" },
                { "name": "bob", "tokenSha256": "%s", "ipv4": "100.64.0.3", "ipv6": "fd00:2021:1111::3" }
              ],
              "resources": [
                { "id": "web", "type": "cidr", "address": "10.0.0.0/24", "site": "office",
                  "filters": [ { "protocol": "tcp", "ports": "80" } ] },
                { "id": "6f1c3c7e-2b8a-4c43-9a55-0e6f3b1d2a10", "name": "wiki", "type": "dns", "address": "wiki.internal", "site": "office" }
              ],
              "policies": [
                { "client": "alice", "resource": "web" },
                { "client": "bob", "resource": "6f1c3c7e-2b8a-4c43-9a55-0e6f3b1d2a10", "expiresAt": "2030-01-01T00:00:00Z" }
              ]
            }
            """.formatted(GATEWAY_HASH, RELAY_HASH, ALICE_HASH, BOB_HASH);

    private PortalTestConfigs() {
    }

    static PortalLoad parse(String text) {
        return PortalFile.parse(text, "p.json", Path.of("/etc/zonegate"));
    }
}
