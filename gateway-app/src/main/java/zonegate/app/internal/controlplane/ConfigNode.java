package zonegate.app.internal.controlplane;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * A JSON value of the configuration file with the position of its first character, so that
 * semantic errors (not only syntax errors) can name a line and column.
 */
sealed interface ConfigNode {
    /** Where the value starts in the file. */
    Position at();

    /** A 1-based line and column. */
    record Position(int line, int column) {
        static final Position NONE = new Position(0, 0);
    }

    /** An object; member names are unique (the reader refuses duplicates). */
    record ConfigObject(Position at, List<Member> members) implements ConfigNode {
        public ConfigObject {
            members = List.copyOf(members);
        }

        Optional<Member> member(String name) {
            return members.stream().filter(m -> m.name().equals(name)).findFirst();
        }
    }

    /** One {@code "name": value} of an object; {@code nameAt} is where the name's quote starts. */
    record Member(String name, Position nameAt, ConfigNode value) {
    }

    /** An array. */
    record ConfigArray(Position at, List<ConfigNode> elements) implements ConfigNode {
        public ConfigArray {
            elements = List.copyOf(elements);
        }
    }

    /** A string. */
    record ConfigString(Position at, String value) implements ConfigNode {
    }

    /** A number, exactly as written. */
    record ConfigNumber(Position at, BigDecimal value) implements ConfigNode {
    }

    /** {@code true} or {@code false}. */
    record ConfigBoolean(Position at, boolean value) implements ConfigNode {
    }

    /** {@code null}. */
    record ConfigNull(Position at) implements ConfigNode {
    }

    /** The JSON type name used in error messages: "a string", "an object", ... */
    static String describe(ConfigNode node) {
        return switch (node) {
            case ConfigObject o -> "an object";
            case ConfigArray a -> "an array";
            case ConfigString s -> "a string";
            case ConfigNumber n -> "a number";
            case ConfigBoolean b -> "a boolean";
            case ConfigNull n -> "null";
        };
    }
}
