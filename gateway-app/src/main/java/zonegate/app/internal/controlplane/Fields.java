package zonegate.app.internal.controlplane;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import zonegate.app.internal.controlplane.ConfigNode.ConfigArray;
import zonegate.app.internal.controlplane.ConfigNode.ConfigNumber;
import zonegate.app.internal.controlplane.ConfigNode.ConfigObject;
import zonegate.app.internal.controlplane.ConfigNode.ConfigString;
import zonegate.app.internal.controlplane.ConfigNode.Member;
import zonegate.app.internal.controlplane.ConfigNode.Position;

/**
 * Typed access to the members of one JSON object, reporting problems against its JSON path. Members
 * not in the allowed set are refused on construction, with a suggestion when the name is a likely
 * typo: a misspelt field of a security policy must never be silently ignored.
 */
final class Fields {
    private final ConfigObject object;
    private final String path;
    private final Problems problems;

    private Fields(ConfigObject object, String path, Problems problems) {
        this.object = object;
        this.path = path;
        this.problems = problems;
    }

    /** The fields of {@code node} if it is an object (else reports it), refusing unknown members. */
    static Optional<Fields> of(ConfigNode node, String path, Problems problems, Set<String> allowed) {
        if (!(node instanceof ConfigObject object)) {
            problems.error(node.at(), path, "expected an object, found " + ConfigNode.describe(node));
            return Optional.empty();
        }
        for (Member member : object.members()) {
            if (!allowed.contains(member.name())) {
                problems.error(member.nameAt(), join(path, member.name()), unknownField(member.name(), allowed));
            }
        }
        return Optional.of(new Fields(object, path, problems));
    }

    Position at() {
        return object.at();
    }

    String path() {
        return path;
    }

    Problems problems() {
        return problems;
    }

    /** The JSON path of member {@code name}. */
    String pathOf(String name) {
        return join(path, name);
    }

    /** Where the value of {@code name} starts, or where this object starts if it is absent. */
    Position positionOf(String name) {
        return object.member(name).map(m -> m.value().at()).orElse(object.at());
    }

    boolean has(String name) {
        return object.member(name).isPresent();
    }

    Optional<ConfigNode> node(String name) {
        return object.member(name).map(Member::value);
    }

    /** A required member: reports it missing (at the object) when absent. */
    Optional<ConfigNode> required(String name) {
        Optional<ConfigNode> node = node(name);
        if (node.isEmpty()) {
            problems.error(object.at(), path, "missing required field \"" + name + "\"");
        }
        return node;
    }

    Optional<String> string(String name) {
        return node(name).flatMap(n -> asString(n, pathOf(name)));
    }

    Optional<String> requiredString(String name) {
        return required(name).flatMap(n -> asString(n, pathOf(name)));
    }

    /** An optional integer member within {@code min..max}. */
    Optional<Long> integer(String name, long min, long max) {
        return node(name).flatMap(n -> asInteger(n, pathOf(name), min, max));
    }

    Optional<List<ConfigNode>> array(String name) {
        return node(name).flatMap(n -> {
            if (n instanceof ConfigArray array) {
                return Optional.of(array.elements());
            }
            problems.error(n.at(), pathOf(name), "expected an array, found " + ConfigNode.describe(n));
            return Optional.empty();
        });
    }

    /** {@code node} as a non-blank string, or reports the type mismatch at {@code at}. */
    Optional<String> asString(ConfigNode node, String at) {
        if (node instanceof ConfigString(Position p, String value)) {
            if (value.isBlank()) {
                problems.error(p, at, "must not be empty");
                return Optional.empty();
            }
            return Optional.of(value);
        }
        problems.error(node.at(), at, "expected a string, found " + ConfigNode.describe(node));
        return Optional.empty();
    }

    Optional<Long> asInteger(ConfigNode node, String at, long min, long max) {
        if (!(node instanceof ConfigNumber(Position p, BigDecimal value))) {
            problems.error(node.at(), at, "expected a number, found " + ConfigNode.describe(node));
            return Optional.empty();
        }
        BigDecimal integral = value.stripTrailingZeros();
        if (integral.scale() > 0 || integral.compareTo(BigDecimal.valueOf(min)) < 0
                || integral.compareTo(BigDecimal.valueOf(max)) > 0) {
            problems.error(p, at, "must be a whole number in " + min + ".." + max + ", not " + value.toPlainString());
            return Optional.empty();
        }
        return Optional.of(integral.longValueExact());
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String unknownField(String name, Set<String> allowed) {
        String nearest = null;
        int best = 3;
        for (String candidate : allowed) {
            int distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
            if (distance < best) {
                best = distance;
                nearest = candidate;
            }
        }
        if (nearest != null) {
            return "unknown field \"" + name + "\"; did you mean \"" + nearest + "\"?";
        }
        return "unknown field \"" + name + "\" (known: " + String.join(", ", new TreeSet<>(allowed)) + ")";
    }

    /** Levenshtein distance; names are short, so the quadratic table is fine. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
