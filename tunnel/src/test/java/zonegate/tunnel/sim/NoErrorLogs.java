package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a simulation that logged anything at ERROR (a bug) or WARN (reserved for operator action), or one
 * INFO line more than {@value #MAX_REPEATS} times (a line per tick or per packet instead of once per state
 * change; {@link InfoRepeats} raises the bound for a class). The TURN client's WARNs about a relay losing
 * an allocation or not answering, and the gateway's WARN about a resolver answering a DNS resource's name
 * with a forbidden address, are an operator's matter and allowed. Reads the log file
 * tinylog-test.properties writes every test line to, from where it ended before the test.
 */
final class NoErrorLogs implements BeforeEachCallback, AfterEachCallback {
    static final int MAX_REPEATS = 5;
    static final Path LOG = Path.of("target", "tunnel-test.log");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoErrorLogs.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("mark", mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> lines = since(context.getStore(NS).get("mark", Long.class));
        Map<String, Long> infoCounts = lines.stream().filter(l -> l.startsWith("INFO"))
                .collect(Collectors.groupingBy(l -> l, Collectors.counting()));
        InfoRepeats allowed = context.getRequiredTestClass().getAnnotation(InfoRepeats.class);
        int maxRepeats = allowed == null ? MAX_REPEATS : allowed.value();
        assertThat(infoCounts).as("INFO lines logged repeatedly").allSatisfy((line, count) ->
                assertThat(count).as(line).isLessThanOrEqualTo(maxRepeats));
        assertThat(lines).as("ERROR or WARN lines").noneMatch(NoErrorLogs::forbidden);
    }

    static boolean forbidden(String line) {
        return line.startsWith("ERROR") || line.startsWith("WARN") && !line.startsWith("WARN TURN allocation")
                && !line.startsWith("WARN TURN relay unresponsive") && !line.matches("WARN cid=\\S+ DNS answer for .*");
    }

    /** Where the log ends now. */
    static long mark() {
        try {
            return Files.exists(LOG) ? Files.size(LOG) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines logged since {@code mark}. */
    static List<String> since(long mark) {
        try {
            if (!Files.exists(LOG)) {
                return List.of();
            }
            try (FileChannel channel = FileChannel.open(LOG, StandardOpenOption.READ)) {
                long size = channel.size();
                ByteBuffer bytes = ByteBuffer.allocate((int) Math.max(0, size - mark));
                while (bytes.hasRemaining() && channel.read(bytes, mark + bytes.position()) >= 0) {
                    // reads to the end
                }
                String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
                return text.lines().filter(l -> !l.isBlank()).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
