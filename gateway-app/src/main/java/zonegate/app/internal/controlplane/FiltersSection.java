package zonegate.app.internal.controlplane;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import zonegate.app.internal.controlplane.ConfigNode.ConfigNumber;
import zonegate.app.internal.controlplane.ConfigNode.ConfigString;
import zonegate.filter.Filter;

/**
 * Reads a resource's {@code "filters"}: {@code {"protocol": "tcp", "ports": "443"}},
 * {@code {"protocol": "udp", "ports": "8000-8999"}}, {@code {"protocol": "icmp"}}. Ports may also be
 * a number; without {@code "ports"} a TCP or UDP filter permits every port.
 */
final class FiltersSection {
    private static final Set<String> FIELDS = Set.of("protocol", "ports");

    private FiltersSection() {}

    /** The filters, or empty if any is invalid (the problems are reported). */
    static Optional<List<Filter>> read(List<ConfigNode> elements, String path, Problems problems) {
        List<Filter> filters = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < elements.size(); i++) {
            Optional<Filter> filter = filter(elements.get(i), path + "[" + i + "]", problems);
            filter.ifPresent(filters::add);
            valid &= filter.isPresent();
        }
        return valid ? Optional.of(filters) : Optional.empty();
    }

    private static Optional<Filter> filter(ConfigNode node, String path, Problems problems) {
        Optional<Fields> parsed = Fields.of(node, path, problems, FIELDS);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = parsed.get();
        Optional<String> protocol = fields.requiredString("protocol");
        if (protocol.isEmpty()) {
            return Optional.empty();
        }
        return switch (protocol.get()) {
            case "icmp" -> {
                if (fields.has("ports")) {
                    problems.error(fields.positionOf("ports"), fields.pathOf("ports"), "ICMP has no ports");
                    yield Optional.empty();
                }
                yield Optional.of(new Filter.Icmp());
            }
            case "tcp", "udp" -> ports(fields).map(range -> protocol.get().equals("tcp")
                    ? new Filter.Tcp(range[0], range[1]) : new Filter.Udp(range[0], range[1]));
            default -> {
                problems.error(fields.positionOf("protocol"), fields.pathOf("protocol"),
                        "unknown protocol \"" + protocol.get() + "\" (expected tcp, udp or icmp)");
                yield Optional.empty();
            }
        };
    }

    private static Optional<int[]> ports(Fields fields) {
        Optional<ConfigNode> node = fields.node("ports");
        if (node.isEmpty()) {
            return Optional.of(new int[] {0, 65535});
        }
        String path = fields.pathOf("ports");
        Problems problems = fields.problems();
        String text = switch (node.get()) {
            case ConfigString string -> string.value().strip();
            case ConfigNumber number -> number.value().toPlainString();
            case ConfigNode.ConfigObject _, ConfigNode.ConfigArray _, ConfigNode.ConfigBoolean _, ConfigNode.ConfigNull _ -> {
                problems.error(node.get().at(), path, "expected a port or range such as \"443\" or \"8000-8999\", found "
                        + ConfigNode.describe(node.get()));
                yield null;
            }
        };
        if (text == null) {
            return Optional.empty();
        }
        int dash = text.indexOf('-');
        String fromText = dash < 0 ? text : text.substring(0, dash).strip();
        String toText = dash < 0 ? text : text.substring(dash + 1).strip();
        int from = port(fromText);
        int to = port(toText);
        if (from < 0 || to < 0) {
            problems.error(node.get().at(), path, "\"" + text + "\" is not a port (0-65535) or a range of them "
                    + "such as \"8000-8999\"");
            return Optional.empty();
        }
        if (from > to) {
            problems.error(node.get().at(), path, "port range \"" + text + "\" ends before it starts");
            return Optional.empty();
        }
        return Optional.of(new int[] {from, to});
    }

    /** The port, or -1 unless {@code text} is a decimal number in 0..65535. */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int value = Integer.parseInt(text);
        return value <= 65535 ? value : -1;
    }
}
