package zonegate.app.internal.controlplane;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import zonegate.app.internal.controlplane.ConfigNode.ConfigArray;
import zonegate.app.internal.controlplane.ConfigNode.ConfigBoolean;
import zonegate.app.internal.controlplane.ConfigNode.ConfigNull;
import zonegate.app.internal.controlplane.ConfigNode.ConfigNumber;
import zonegate.app.internal.controlplane.ConfigNode.ConfigObject;
import zonegate.app.internal.controlplane.ConfigNode.ConfigString;
import zonegate.app.internal.controlplane.ConfigNode.Member;
import zonegate.app.internal.controlplane.ConfigNode.Position;

/**
 * Reads strict JSON (no comments, no trailing commas, one root value) into a {@link ConfigNode} tree
 * with token positions, using Jackson's streaming parser. Duplicate member names are a syntax error:
 * in a security policy the second "publicKey" silently winning would hide a mistake.
 */
final class ConfigTreeReader {
    private static final JsonFactory JSON = new JsonFactory();

    /** The outcome of {@link #read}. */
    sealed interface Outcome {
        /** The text is one well-formed JSON value. */
        record Parsed(ConfigNode root) implements Outcome {
        }

        /** The text is not well-formed JSON, for {@code reason}, at {@code at}. */
        record SyntaxError(Position at, String reason) implements Outcome {
        }
    }

    private ConfigTreeReader() {}

    static Outcome read(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Outcome.SyntaxError(new Position(1, 1), "the file is empty; expected a JSON object");
            }
            ConfigNode root = value(parser, first);
            if (parser.nextToken() != null) {
                return new Outcome.SyntaxError(position(parser.currentTokenLocation()),
                        "unexpected content after the end of the JSON value");
            }
            return new Outcome.Parsed(root);
        } catch (DuplicateMember e) {
            return new Outcome.SyntaxError(e.at, "duplicate field \"" + e.name + "\"");
        } catch (JacksonException e) {
            TokenStreamLocation location = e.getLocation();
            Position at = location == null ? Position.NONE : position(location);
            return new Outcome.SyntaxError(at, "invalid JSON: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static ConfigNode value(JsonParser parser, JsonToken token) {
        Position at = position(parser.currentTokenLocation());
        return switch (token) {
            case START_OBJECT -> object(parser, at);
            case START_ARRAY -> array(parser, at);
            case VALUE_STRING -> new ConfigString(at, parser.getString());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new ConfigNumber(at, parser.getDecimalValue());
            case VALUE_TRUE -> new ConfigBoolean(at, true);
            case VALUE_FALSE -> new ConfigBoolean(at, false);
            case VALUE_NULL -> new ConfigNull(at);
            default -> throw new IllegalStateException("unexpected token " + token + " at " + at);
        };
    }

    private static ConfigObject object(JsonParser parser, Position at) {
        List<Member> members = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            Position nameAt = position(parser.currentTokenLocation());
            if (!names.add(name)) {
                throw new DuplicateMember(name, nameAt);
            }
            members.add(new Member(name, nameAt, value(parser, parser.nextToken())));
        }
        return new ConfigObject(at, members);
    }

    private static ConfigArray array(JsonParser parser, Position at) {
        List<ConfigNode> elements = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            elements.add(value(parser, token));
        }
        return new ConfigArray(at, elements);
    }

    private static Position position(TokenStreamLocation location) {
        return new Position(location.getLineNr(), location.getColumnNr());
    }

    /** Jackson's message without its multi-line detail and its "(start marker at [Source: ...])" suffix. */
    private static String firstLine(String message) {
        String text = message == null ? "malformed input" : message;
        int newline = text.indexOf('\n');
        text = newline < 0 ? text : text.substring(0, newline);
        int marker = text.indexOf(" (start marker at [Source:");
        return marker < 0 ? text : text.substring(0, marker);
    }

    /** Unwinds the recursive descent when a member name repeats. */
    private static final class DuplicateMember extends RuntimeException {
        private final transient String name;
        private final transient Position at;

        DuplicateMember(String name, Position at) {
            super(null, null, false, false);
            this.name = name;
            this.at = at;
        }
    }
}
