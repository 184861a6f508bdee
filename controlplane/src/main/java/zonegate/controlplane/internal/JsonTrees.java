package zonegate.controlplane.internal;

import java.io.StringWriter;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON text to and from Jackson's tree nodes through jackson-core's streaming parser and generator alone:
 * the trees and the text of {@code JsonMapper.readTree} and {@code writeValueAsString}, without a mapper.
 * A {@code JsonMapper} loads some 700 classes when it is first used (its serializers, type factory and the
 * {@code java.time} module), about 4 MB of metaspace, symbols and heap in every process that talks to a
 * portal or answers a status request, where only the tree is needed. Thread-safe (stateless).
 */
public final class JsonTrees {
    private static final JsonFactory PLAIN = JsonFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /** Object and array nodes to fill and give to {@link #write}. */
    public static JsonNodeFactory nodes() {
        return NODES;
    }

    /**
     * The one JSON value of {@code text}, numbers as the mapper makes them (int, long or big integer nodes by
     * size, doubles for fractions); a missing node for a text of only white space.
     *
     * @param factory the parser's limits and features (duplicate names, nesting, lengths)
     * @throws JacksonException for text that is not one JSON value, or breaks the factory's limits
     */
    public static JsonNode read(JsonFactory factory, String text) {
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return NODES.missingNode();
            }
            JsonNode root = value(parser, first);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new StreamReadException(parser, "trailing token " + trailing + " after the JSON value");
            }
            return root;
        }
    }

    /** {@link #read} with jackson-core's default limits. */
    public static JsonNode read(String text) {
        return read(PLAIN, text);
    }

    /** The tree as compact JSON text. */
    public static String write(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = PLAIN.createGenerator(out)) {
            write(generator, node);
        }
        return out.toString();
    }

    private static JsonNode value(JsonParser parser, JsonToken token) {
        return switch (token) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> array(parser);
            case VALUE_STRING -> NODES.stringNode(parser.getString());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new StreamReadException(parser, "unexpected token " + token);
        };
    }

    private static ObjectNode object(JsonParser parser) {
        ObjectNode object = NODES.objectNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            object.set(name, value(parser, parser.nextToken()));
        }
        return object;
    }

    private static ArrayNode array(JsonParser parser) {
        ArrayNode array = NODES.arrayNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            array.add(value(parser, token));
        }
        return array;
    }

    private static void write(JsonGenerator out, JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.writeStartObject();
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    out.writeName(property.getKey());
                    write(out, property.getValue());
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (JsonNode item : node.values()) {
                    write(out, item);
                }
                out.writeEndArray();
            }
            case STRING -> out.writeString(node.stringValue());
            case NUMBER -> number(out, node);
            case BOOLEAN -> out.writeBoolean(node.booleanValue());
            case NULL -> out.writeNull();
            default -> throw new IllegalArgumentException("no JSON text for a " + node.getNodeType() + " node");
        }
    }

    private static void number(JsonGenerator out, JsonNode node) {
        switch (node.numberType()) {
            case INT -> out.writeNumber(node.intValue());
            case LONG -> out.writeNumber(node.longValue());
            case BIG_INTEGER -> out.writeNumber(node.bigIntegerValue());
            case BIG_DECIMAL -> out.writeNumber(node.decimalValue());
            default -> out.writeNumber(node.doubleValue());
        }
    }
}
