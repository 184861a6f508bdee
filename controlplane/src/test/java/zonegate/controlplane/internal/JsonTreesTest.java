package zonegate.controlplane.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@link JsonTrees} against Jackson's own mapper: the same trees from the same text, the same text from a tree. */
class JsonTreesTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void readsWhatTheMapperReads() {
        String[] texts = {"{}", "[]", "[1, 2]", "{\"a\":{\"b\":[true,false,null]}}", "12345678901234567890123",
            "-9223372036854775808", "2147483648", "-2147483649", "7", "1.0", "-0.5e-3", "{\"a\":1e400}",
            "{\"a\":-0}", "\"\\u00e9\\n\\\"\\\\\"", "  {\"x\" : \"y\"}  ", "\"\uD83D\uDE00\"", "{\"a\":1,\"a\":2}"};
        for (String text : texts) {
            JsonNode ours = JsonTrees.read(text);
            assertThat(ours).as(text).isEqualTo(MAPPER.readTree(text));
            assertThat(ours.getClass()).as(text).isEqualTo(MAPPER.readTree(text).getClass());
        }
    }

    @Test
    void whiteSpaceAloneIsAMissingNode() {
        assertThat(JsonTrees.read("").isMissingNode()).isTrue();
        assertThat(JsonTrees.read(" \n\t").isMissingNode()).isTrue();
    }

    @Test
    void refusesWhatTheMapperRefuses() {
        for (String text : new String[] {"{} {}", "{}x", "[1,]", "{\"a\"}", "{\"a\":1", "nul", "'a'", "[1] 2"}) {
            assertThatThrownBy(() -> MAPPER.readTree(text)).as(text).isInstanceOf(JacksonException.class);
            assertThatThrownBy(() -> JsonTrees.read(text)).as(text).isInstanceOf(JacksonException.class);
        }
    }

    @Test
    void keepsTheFactorysLimitsAndFeatures() {
        JsonFactory strict = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(3).maxStringLength(8).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        assertThat(JsonTrees.read(strict, "[[[1]]]").get(0).get(0).get(0).intValue()).isEqualTo(1);
        assertThatThrownBy(() -> JsonTrees.read(strict, "[[[[1]]]]")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> JsonTrees.read(strict, "{\"a\":1,\"a\":2}")).isInstanceOf(JacksonException.class)
                .hasMessageContaining("Duplicate");
        assertThatThrownBy(() -> JsonTrees.read(strict, "\"0123456789\"")).isInstanceOf(JacksonException.class);
    }

    @Test
    void randomTreesWriteAsTheMapperWritesAndReadBack() {
        Random random = new Random(20261203);
        for (int i = 0; i < 2000; i++) {
            JsonNode tree = tree(random, 0);
            String text = JsonTrees.write(tree);
            assertThat(text).isEqualTo(MAPPER.writeValueAsString(tree));
            assertThat(JsonTrees.read(text)).isEqualTo(tree);
            assertThat(JsonTrees.read(text)).isEqualTo(MAPPER.readTree(text));
        }
    }

    @Test
    void refusesToWriteANodeWithoutText() {
        assertThatThrownBy(() -> JsonTrees.write(NODES.missingNode())).isInstanceOf(IllegalArgumentException.class);
    }

    private static JsonNode tree(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 7 : 9);
        return switch (kind) {
            case 0 -> NODES.stringNode(string(random));
            case 1 -> NODES.numberNode(random.nextInt());
            case 2 -> NODES.numberNode(random.nextBoolean() ? outsideInt(random) : -outsideInt(random));
            case 3 -> NODES.numberNode(new BigInteger(96, random).add(BigInteger.valueOf(Long.MAX_VALUE)));
            case 4 -> NODES.numberNode((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20));
            case 5 -> NODES.booleanNode(random.nextBoolean());
            case 6 -> NODES.nullNode();
            case 7 -> {
                ObjectNode object = NODES.objectNode();
                for (int n = random.nextInt(5); n > 0; n--) {
                    object.set(string(random), tree(random, depth + 1));
                }
                yield object;
            }
            default -> {
                ArrayNode array = NODES.arrayNode();
                for (int n = random.nextInt(5); n > 0; n--) {
                    array.add(tree(random, depth + 1));
                }
                yield array;
            }
        };
    }

    /** A long that no int holds, so that it reads back as a long node. */
    private static long outsideInt(Random random) {
        return Integer.MAX_VALUE + 2L + (random.nextLong() >>> 2);
    }

    private static String string(Random random) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            s.append(switch (random.nextInt(6)) {
                case 0 -> (char) random.nextInt(0x20);
                case 1 -> '"';
                case 2 -> '\\';
                case 3 -> (char) (0xA0 + random.nextInt(0x2000));
                case 4 -> "\uD83D\uDE00";
                default -> (char) ('a' + random.nextInt(26));
            });
        }
        return s.toString();
    }
}
