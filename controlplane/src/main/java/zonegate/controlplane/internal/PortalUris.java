package zonegate.controlplane.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** The socket URL of a role: {@code portal + "/" + role + "/websocket?" + query}. */
public final class PortalUris {
    private PortalUris() {
    }

    public static URI socketUri(URI portal, String role, Map<String, List<String>> query) {
        String base = portal.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((key, values) -> values.forEach(value -> params.add(encode(key) + "=" + encode(value))));
        return URI.create(base + "/" + role + "/websocket" + params);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
