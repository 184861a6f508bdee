package zonegate.portal.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import zonegate.portal.PortalPolicy;
import zonegate.portal.Role;

/**
 * What a WebSocket upgrade request asks for, checked: the bearer token's identity and the query
 * parameters, or the reason for refusing it ({@code missing_token}, {@code invalid_token},
 * {@code bad_request}). Never throws on bad input.
 */
public sealed interface UpgradeRequest {
    /** Most {@code address} parameters a relay may give (one per family, with room for a few). */
    int MAX_RELAY_ADDRESSES = 4;

    /** Accepted: the peer's identity and what it offered. */
    record Accepted(String identity, String publicKey, List<String> relayAddresses, String selfName)
            implements UpgradeRequest {
    }

    /** Refused, with the reason sent to the peer and the close code. */
    record Refused(String reason, int closeCode, String detail) implements UpgradeRequest {
    }

    /**
     * Checks an upgrade.
     *
     * @param authorization the {@code X-Authorization} header's value, or null
     * @param query a lookup of all values of a query parameter (empty list when absent)
     */
    static UpgradeRequest check(PortalPolicy policy, Role role, String authorization,
            java.util.function.Function<String, List<String>> query) {
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() == 7) {
            return new Refused("missing_token", 4001, "no X-Authorization: Bearer header");
        }
        Optional<String> identity = policy.identify(role, authorization.substring(7).trim());
        if (identity.isEmpty()) {
            return new Refused("invalid_token", 4001, "token matches no " + role.topic());
        }
        List<String> names = query.apply("name");
        String selfName = names.isEmpty() ? "" : names.getFirst();
        if (selfName.length() > 128) {
            return new Refused("bad_request", 4000, "name longer than 128 characters");
        }
        switch (role) {
            case GATEWAY, CLIENT -> {
                List<String> keys = query.apply("public_key");
                if (keys.size() != 1 || !isWireGuardKey(keys.getFirst())) {
                    return new Refused("bad_request", 4000, "public_key must be one base64 WireGuard key (44 chars)");
                }
                return new Accepted(identity.get(), keys.getFirst(), List.of(), selfName);
            }
            case RELAY -> {
                List<String> addresses = query.apply("address");
                if (addresses.isEmpty() || addresses.size() > MAX_RELAY_ADDRESSES) {
                    return new Refused("bad_request", 4000, "a relay needs 1 to " + MAX_RELAY_ADDRESSES + " address parameters");
                }
                List<String> checked = new ArrayList<>();
                for (String address : addresses) {
                    if (!isHostPort(address)) {
                        return new Refused("bad_request", 4000, "address " + address + " is not ip:port or [ip]:port");
                    }
                    checked.add(address);
                }
                return new Accepted(identity.get(), null, checked, selfName);
            }
        }
        throw new AssertionError(role);
    }

    private static boolean isWireGuardKey(String text) {
        if (text.length() != 44) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(text).length == 32;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static boolean isHostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return false;
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        boolean v6 = host.startsWith("[") && host.endsWith("]");
        if (v6) {
            host = host.substring(1, host.length() - 1);
            if (!host.contains(":")) {
                return false;
            }
        } else if (host.contains(":")) {
            return false;
        }
        if (!port.chars().allMatch(Character::isDigit) || port.length() > 5 || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535) {
            return false;
        }
        return TunnelAddresses.parse(host) != null;
    }
}
