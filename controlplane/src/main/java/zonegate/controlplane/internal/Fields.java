package zonegate.controlplane.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads of a payload's fields: each names the field it wanted when it is missing or of the wrong
 * type, by throwing {@link Bad}, which the reader turns into a rejection (never out of the codec).
 */
final class Fields {
    /** A field that is not what the event needs. */
    static final class Bad extends RuntimeException {
        Bad(String message) {
            super(message, null, false, false);
        }
    }

    private final JsonNode node;
    private final String where;

    Fields(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new Bad(where + " must be an object");
        }
        this.node = node;
        this.where = where;
    }

    String string(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isString()) {
            throw new Bad(where + "." + name + " must be a string");
        }
        return v.stringValue();
    }

    /** A string, or null when missing or null. */
    String optionalString(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw new Bad(where + "." + name + " must be a string or null");
        }
        return v.stringValue();
    }

    long integer(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new Bad(where + "." + name + " must be an integer");
        }
        return v.longValue();
    }

    /** An integer, or null when missing or null. */
    Long optionalInteger(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : integer(name);
    }

    /** An integer in [min, max], or {@code otherwise} when missing. */
    int bounded(String name, int min, int max, int otherwise) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        long value = integer(name);
        if (value < min || value > max) {
            throw new Bad(where + "." + name + " must be between " + min + " and " + max);
        }
        return (int) value;
    }

    boolean bool(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isBoolean()) {
            throw new Bad(where + "." + name + " must be true or false");
        }
        return v.booleanValue();
    }

    Fields object(String name) {
        return new Fields(node.get(name), where + "." + name);
    }

    /** An object, or null when missing or null. */
    Fields optionalObject(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : new Fields(v, where + "." + name);
    }

    List<String> strings(String name, int max) {
        return list(name, max, (item, at) -> {
            if (!item.isString()) {
                throw new Bad(at + " must be a string");
            }
            return item.stringValue();
        });
    }

    /** A list of objects, each read by {@code read}; an empty list when missing. */
    <T> List<T> objects(String name, int max, Function<Fields, T> read) {
        return list(name, max, (item, at) -> read.apply(new Fields(item, at)));
    }

    private interface Item<T> {
        T read(JsonNode item, String at);
    }

    private <T> List<T> list(String name, int max, Item<T> read) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new Bad(where + "." + name + " must be a list");
        }
        if (v.size() > max) {
            throw new Bad(where + "." + name + " has " + v.size() + " entries (at most " + max + ")");
        }
        List<T> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(read.read(v.get(i), where + "." + name + "[" + i + "]"));
        }
        return out;
    }
}
