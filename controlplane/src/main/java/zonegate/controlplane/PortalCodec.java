package zonegate.controlplane;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import zonegate.controlplane.internal.JsonTrees;
import zonegate.controlplane.internal.PayloadReader;
import zonegate.controlplane.internal.PayloadWriter;

/**
 * The JSON codec of {@link Frame}s: {@code {"topic": ..., "event": ..., "ref": ..., "payload": {...}}},
 * payload fields in snake case. Decoding is strict about what it needs and lenient about the rest: a
 * required field that is missing or of the wrong type rejects the frame with a reason naming it; fields it
 * does not know are ignored (a newer peer may send more). Never throws on bad input.
 *
 * <p>Bounds: a text of at most {@value #MAX_TEXT_CHARS} characters, nesting at most
 * {@value #MAX_DEPTH} deep, strings of at most {@value #MAX_STRING_CHARS} characters, duplicate names
 * refused (the second "public_key" silently winning would hide a mistake), at most
 * {@value PortalMessage#MAX_CANDIDATES} candidates and {@value #MAX_LIST} entries in any other list.
 * Thread-safe (stateless).
 */
public final class PortalCodec {
    /** Longest text decoded. */
    public static final int MAX_TEXT_CHARS = 1 << 20;
    /** Deepest nesting of objects and arrays. */
    public static final int MAX_DEPTH = 16;
    /** Longest string value. */
    public static final int MAX_STRING_CHARS = 4096;
    /** Most entries in a list other than candidates (resources, authorisations, relays, ids). */
    public static final int MAX_LIST = 65_536;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_CHARS).maxDocumentLength(MAX_TEXT_CHARS).maxNameLength(256)
                    .maxNumberLength(32).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private PortalCodec() {
    }

    /** The frame as one line of JSON. */
    public static String encode(Frame frame) {
        ObjectNode root = JsonTrees.nodes().objectNode();
        root.put("topic", frame.topic());
        root.put("event", frame.message().event());
        if (frame.ref() == null) {
            root.putNull("ref");
        } else {
            root.put("ref", frame.ref());
        }
        root.set("payload", PayloadWriter.write(frame.message(), JsonTrees.nodes().objectNode()));
        return JsonTrees.write(root);
    }

    /** Decodes a text received in {@code direction}. */
    public static DecodeResult decode(String text, Direction direction) {
        if (text.length() > MAX_TEXT_CHARS) {
            return new DecodeResult.Rejected("a frame of " + text.length() + " characters (at most " + MAX_TEXT_CHARS
                    + ")");
        }
        JsonNode root;
        try {
            root = JsonTrees.read(JSON, text);
        } catch (JacksonException e) {
            return new DecodeResult.Rejected("not JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            return new DecodeResult.Rejected("a frame must be a JSON object");
        }
        JsonNode topic = root.get("topic");
        JsonNode event = root.get("event");
        JsonNode ref = root.get("ref");
        JsonNode payload = root.get("payload");
        if (topic == null || !topic.isString() || event == null || !event.isString()) {
            return new DecodeResult.Rejected("a frame needs the strings \"topic\" and \"event\"");
        }
        if (ref != null && !ref.isNull() && !ref.isString()) {
            return new DecodeResult.Rejected("\"ref\" must be a string or null");
        }
        if (payload == null || !payload.isObject()) {
            return new DecodeResult.Rejected("event " + event.stringValue() + ": \"payload\" must be an object");
        }
        String refText = ref == null || ref.isNull() ? null : ref.stringValue();
        return PayloadReader.read(topic.stringValue(), refText, event.stringValue(), payload, direction);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
