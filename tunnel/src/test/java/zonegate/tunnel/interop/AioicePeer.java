package zonegate.tunnel.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * aioice (Debian's python3-aioice) as the other ICE agent: src/test/python/aioice_peer.py, which
 * speaks one flat JSON object per line on stdin/stdout (see the script for the messages). Killed on
 * {@link #close()}; its stderr is kept for failure messages.
 */
final class AioicePeer implements AutoCloseable {
    private static final Path SCRIPT = Path.of("src/test/python/aioice_peer.py");
    private static final Pattern FIELD = Pattern.compile("\"([a-z]+)\":\\s*(\"([^\"]*)\"|[-0-9.eE+]+|true|false|null)");

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<Map<String, String>> lines = new LinkedBlockingQueue<>();
    private final StringBuffer transcript = new StringBuffer();

    private AioicePeer(Process process) {
        this.process = process;
        this.stdin = process.outputWriter(StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("aioice-stdout").start(() -> read(process));
    }

    static AioicePeer start(List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(InteropRequirement.PYTHON.toString(), SCRIPT.toString()));
        command.addAll(arguments);
        return new AioicePeer(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start());
    }

    private void read(Process process) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                transcript.append("aioice> ").append(line).append('\n');
                lines.add(parse(line));
            }
        } catch (IOException e) {
            transcript.append("aioice stdout: ").append(e).append('\n');
        }
    }

    /** A flat JSON object of strings and numbers, as the script prints them (no escapes needed). */
    static Map<String, String> parse(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = FIELD.matcher(line);
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(3) != null ? matcher.group(3) : matcher.group(2));
        }
        return fields;
    }

    void send(String... keyValues) throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < keyValues.length; i += 2) {
            json.append(i == 0 ? "" : ", ").append('"').append(keyValues[i]).append("\": \"").append(keyValues[i + 1]).append('"');
        }
        String line = json.append('}').toString();
        transcript.append("aioice< ").append(line).append('\n');
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** The next line from the peer, or {@code null} after {@code timeout}. */
    Map<String, String> poll(Duration timeout) throws InterruptedException {
        return lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Everything exchanged with the peer, and its stderr once it has ended, for failure messages. */
    String transcript() {
        return transcript.toString();
    }

    @Override
    public void close() throws Exception {
        try {
            send("type", "close");
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
        }
        transcript.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
