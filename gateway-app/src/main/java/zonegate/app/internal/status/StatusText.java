package zonegate.app.internal.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import zonegate.controlplane.internal.JsonTrees;

/**
 * Renders the admin socket's JSON ({@link StatusJson}) the way {@code wg show} prints an interface: a block
 * for the process, then one per client, relay and allocation, then the drops. Times relative to the
 * collection instant; bytes in binary units.
 */
public final class StatusText {
    private StatusText() {
    }

    /** The text of one status answer (an error answer renders as its message). */
    public static String render(String json) {
        JsonNode root = JsonTrees.read(json);
        if (root.has("error")) {
            return "error: " + text(root.path("error")) + "\n";
        }
        long nowMs = root.path("collected_at_unix_ms").asLong();
        StringBuilder out = new StringBuilder(1024);
        self(root, out);
        for (JsonNode c : root.path("clients").values()) {
            client(c, nowMs, out);
        }
        for (JsonNode r : root.path("relays").values()) {
            out.append("\nrelay: ").append(text(r.path("server"))).append('\n');
            line(out, "relayed", r.path("relayed").isEmpty() ? "(not allocated)" : join(r.path("relayed")));
            line(out, "rtt", r.path("rtt_ms").isNull() ? "(not measured)" : r.path("rtt_ms").asLong() + " ms");
            if (r.path("suspect").asBoolean()) {
                line(out, "suspect", "a consent check through it went unanswered");
            }
        }
        for (JsonNode a : root.path("allocations").values()) {
            out.append("\nallocation: ").append(text(a.path("client"))).append('\n');
            line(out, "user", text(a.path("username")));
            line(out, "relayed", text(a.path("relayed")));
            line(out, "permissions", a.path("permissions").asInt() + ", channels: " + a.path("channels").asInt());
            line(out, "transfer", bytes(a.path("bytes_to_peers").asLong()) + " to peers, "
                    + bytes(a.path("bytes_to_client").asLong()) + " to the client");
        }
        drops(root.path("drops"), out);
        return out.toString();
    }

    private static void self(JsonNode root, StringBuilder out) {
        JsonNode self = root.path("interface");
        if (!text(root.path("role")).equals("gateway")) {
            out.append("relay: ").append(join(self.path("listen"))).append('\n');
            line(out, "mode", text(root.path("mode")));
            line(out, "allocations", String.valueOf(root.path("allocations").size()));
            return;
        }
        out.append("interface: ").append(self.path("name").isNull() ? "(unknown)" : text(self.path("name")))
                .append('\n');
        line(out, "mode", text(root.path("mode")));
        line(out, "public key", text(self.path("public_key")));
        line(out, "listening on", join(self.path("listen")));
        line(out, "tunnel addresses", self.path("tunnel_addresses").isEmpty() ? "(none yet)"
                : join(self.path("tunnel_addresses")));
        line(out, "clients", String.valueOf(root.path("clients").size()));
    }

    private static void client(JsonNode c, long nowMs, StringBuilder out) {
        out.append("\nclient: ").append(text(c.path("id"))).append('\n');
        line(out, "public key", text(c.path("public_key")));
        line(out, "endpoint", c.path("endpoint").isNull() ? "(none)" : text(c.path("endpoint")));
        line(out, "tunnel addresses", join(c.path("tunnel_addresses")));
        JsonNode ago = c.path("latest_handshake_seconds_ago");
        line(out, "latest handshake", ago.isNull() ? "(none)" : ago.asLong() == 0 ? "now" : duration(ago.asLong()) + " ago");
        line(out, "transfer", bytes(c.path("rx_bytes").asLong()) + " received, " + bytes(c.path("tx_bytes").asLong())
                + " sent");
        JsonNode k = c.path("connection");
        if (!k.isNull() && !k.isMissingNode()) {
            StringBuilder path = new StringBuilder(text(k.path("state")));
            if (!k.path("path").isNull()) {
                path.append(", ").append(text(k.path("path"))).append(" (").append(text(k.path("local")))
                        .append(" -> ").append(text(k.path("remote"))).append(')');
            }
            if (!k.path("relay").isNull()) {
                path.append(", relay ").append(text(k.path("relay")));
            }
            line(out, "connection", path.toString());
        }
        out.append("  resources:");
        if (c.path("resources").isEmpty()) {
            out.append(" (none)");
        }
        out.append('\n');
        for (JsonNode r : c.path("resources").values()) {
            out.append("    ").append(text(r.path("id"))).append(": ").append(text(r.path("kind")));
            if (!r.path("address").isNull()) {
                out.append(' ').append(text(r.path("address")));
            }
            JsonNode expires = r.path("expires_at_unix_seconds");
            if (!expires.isNull()) {
                long leftSeconds = expires.asLong() - nowMs / 1000;
                out.append(", expires ").append(Instant.ofEpochSecond(expires.asLong()))
                        .append(leftSeconds > 0 ? " (in " + duration(leftSeconds) + ")" : " (expired)");
            }
            out.append('\n');
        }
        line(out, "NAT flows", String.valueOf(c.path("nat_flows").asInt()));
    }

    private static void drops(JsonNode drops, StringBuilder out) {
        JsonNode counters = drops.path("counters");
        out.append("\ndrops");
        if (counters.isEmpty()) {
            out.append(": none\n");
            return;
        }
        out.append(" (last ").append(duration(drops.path("window_seconds").asLong())).append(" / total):\n");
        for (JsonNode d : counters.values()) {
            out.append("  ").append(text(d.path("source"))).append(' ').append(text(d.path("reason"))).append(": ")
                    .append(d.path("recent").asLong()).append(" / ").append(d.path("total").asLong()).append('\n');
        }
    }

    /** {@code 1 hour, 2 minutes, 5 seconds}, as {@code wg show} writes it. */
    static String duration(long seconds) {
        if (seconds <= 0) {
            return "0 seconds";
        }
        long[] amounts = {seconds / 86400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60};
        String[] units = {"day", "hour", "minute", "second"};
        List<String> parts = new ArrayList<>(4);
        for (int i = 0; i < amounts.length; i++) {
            if (amounts[i] > 0) {
                parts.add(amounts[i] + " " + units[i] + (amounts[i] == 1 ? "" : "s"));
            }
        }
        return String.join(", ", parts);
    }

    /** {@code 512 B}, {@code 1.50 KiB}, {@code 3.25 GiB}, as {@code wg show} writes transfer amounts. */
    static String bytes(long n) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (n < 1024) {
            return n + " B";
        }
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append("  ").append(name).append(": ").append(value).append('\n');
    }

    private static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.values().forEach(v -> parts.add(text(v)));
        return String.join(", ", parts);
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? "" : node.asString();
    }
}
