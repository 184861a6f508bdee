package zonegate.app.internal.status;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import zonegate.controlplane.internal.JsonTrees;
import zonegate.app.internal.status.StatusReport.Allocation;
import zonegate.app.internal.status.StatusReport.Client;
import zonegate.app.internal.status.StatusReport.Connection;
import zonegate.app.internal.status.StatusReport.DropTotal;
import zonegate.app.internal.status.StatusReport.Relay;
import zonegate.app.internal.status.StatusReport.Resource;

/**
 * The admin socket's answer: a {@link StatusReport} as one JSON object (snake_case names, units in the names,
 * {@code null} for "none"), and the error answer {@code {"error":"..."}}. {@code zonegate status --json}
 * prints it as is; {@link StatusText} renders it for people.
 *
 * <pre>{@code
 * {"role":"gateway","mode":"static","collected_at_unix_ms":1700000000000,
 *  "interface":{"name":"zg0","public_key":"...","listen":["0.0.0.0:51820"],"tunnel_addresses":["100.64.0.1/11"]},
 *  "clients":[{"id":"alice","public_key":"...","tunnel_addresses":["100.64.0.2","fd00:2021:1111::2"],
 *              "endpoint":"198.51.100.7:41000","latest_handshake_unix_seconds":1699999990,
 *              "latest_handshake_seconds_ago":10,"rx_bytes":1234,"tx_bytes":5678,
 *              "resources":[{"id":"office","kind":"cidr","address":"10.0.0.0/8","expires_at_unix_seconds":null}],
 *              "nat_flows":0,"connection":null}],
 *  "relays":[],"allocations":[],
 *  "drops":{"window_seconds":60,"counters":[{"source":"gateway","reason":"filtered","recent":1,"total":4}]}}
 * }</pre>
 */
public final class StatusJson {
    private StatusJson() {
    }

    /** The report, with each drop counter's growth over {@code recent}'s window. */
    public static String write(StatusReport report, DropWindow.Recent recent) {
        ObjectNode root = JsonTrees.nodes().objectNode();
        root.put("role", report.role());
        root.put("mode", report.self().mode());
        root.put("collected_at_unix_ms", report.collectedAtUnixMs());
        ObjectNode self = root.putObject("interface");
        self.put("name", report.self().interfaceName());
        self.put("public_key", report.self().publicKey());
        strings(self.putArray("listen"), report.self().listen());
        strings(self.putArray("tunnel_addresses"), report.self().tunnelAddresses());
        ArrayNode clients = root.putArray("clients");
        for (Client c : report.clients()) {
            client(clients.addObject(), c, report.collectedAtUnixMs());
        }
        ArrayNode relays = root.putArray("relays");
        for (Relay r : report.relays()) {
            ObjectNode o = relays.addObject();
            o.put("server", r.server());
            strings(o.putArray("relayed"), r.relayed());
            optional(o, "rtt_ms", r.rttMs());
            o.put("suspect", r.suspect());
        }
        ArrayNode allocations = root.putArray("allocations");
        for (Allocation a : report.allocations()) {
            allocations.addObject().put("username", a.username()).put("client", a.client()).put("relayed", a.relayed())
                    .put("permissions", a.permissions()).put("channels", a.channels())
                    .put("bytes_to_peers", a.bytesToPeers()).put("bytes_to_client", a.bytesToClient());
        }
        ObjectNode drops = root.putObject("drops");
        drops.put("window_seconds", recent.windowNs() / 1_000_000_000L);
        ArrayNode counters = drops.putArray("counters");
        for (DropTotal d : report.drops()) {
            counters.addObject().put("source", d.source()).put("reason", d.reason()).put("recent", recent.count(d.key()))
                    .put("total", d.total());
        }
        return JsonTrees.write(root) + "\n";
    }

    /** {@code {"error":"..."}}: what went wrong, for the asking operator. */
    public static String error(String message) {
        return JsonTrees.write(JsonTrees.nodes().objectNode().put("error", message)) + "\n";
    }

    /** The message of an error answer, or null for a status. */
    public static String errorOf(String json) {
        JsonNode root = JsonTrees.read(json);
        return root.has("error") ? root.path("error").asString() : null;
    }

    private static void client(ObjectNode o, Client c, long collectedAtUnixMs) {
        o.put("id", c.id());
        o.put("public_key", c.publicKey());
        strings(o.putArray("tunnel_addresses"), c.tunnelAddresses());
        o.put("endpoint", c.endpoint());
        if (c.latestHandshakeAgoMs() < 0) {
            o.putNull("latest_handshake_unix_seconds");
            o.putNull("latest_handshake_seconds_ago");
        } else {
            o.put("latest_handshake_unix_seconds", (collectedAtUnixMs - c.latestHandshakeAgoMs()) / 1000);
            o.put("latest_handshake_seconds_ago", c.latestHandshakeAgoMs() / 1000);
        }
        o.put("rx_bytes", c.rxBytes());
        o.put("tx_bytes", c.txBytes());
        ArrayNode resources = o.putArray("resources");
        for (Resource r : c.resources()) {
            ObjectNode ro = resources.addObject().put("id", r.id()).put("kind", r.kind()).put("address", r.address());
            optional(ro, "expires_at_unix_seconds", r.expiresAtUnixSeconds());
        }
        o.put("nat_flows", c.natFlows());
        Connection k = c.connection();
        if (k == null) {
            o.putNull("connection");
        } else {
            o.putObject("connection").put("state", k.state()).put("path", k.path()).put("local", k.local())
                    .put("remote", k.remote()).put("relay", k.relay());
        }
    }

    private static void optional(ObjectNode o, String name, long valueOrMinusOne) {
        if (valueOrMinusOne < 0) {
            o.putNull(name);
        } else {
            o.put(name, valueOrMinusOne);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
