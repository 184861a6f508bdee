package zonegate.app.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinylog.Level;
import org.tinylog.core.LogEntry;
import org.tinylog.runtime.PreciseTimestamp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonLineWriterTest {
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void writesOneParseableJsonObjectPerLineWithContextFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.log");
        JsonLineWriter writer = new JsonLineWriter(Map.of("file", file.toString()));

        writer.write(entry("denied \"UDP\" port 53\nnext", Map.of("cid", "client-1"), null));
        writer.write(entry("second", Map.of(), new IllegalStateException("boom")));
        writer.close();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.get("level").asString()).isEqualTo("WARN");
        assertThat(first.get("msg").asString()).isEqualTo("denied \"UDP\" port 53\nnext");
        assertThat(first.get("cid").asString()).isEqualTo("client-1");
        assertThat(first.get("logger").asString()).isEqualTo("zonegate.Example");
        assertThat(first.get("time").asString()).endsWith("Z");
        assertThat(json.readTree(lines.get(1)).get("exception").asString()).contains("boom");
    }

    @Test
    void appendsToAnExistingLogFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.log");
        Files.writeString(file, "{\"earlier\":true}\n");
        JsonLineWriter writer = new JsonLineWriter(Map.of("file", file.toString()));

        writer.write(entry("later", Map.of(), null));
        writer.close();

        assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo("{\"earlier\":true}");
    }

    private static LogEntry entry(String message, Map<String, String> context, Throwable exception) {
        return new LogEntry(new PreciseTimestamp(), Thread.currentThread(), context, "zonegate.Example",
                "run", "Example.java", 1, null, Level.WARN, message, exception);
    }
}
