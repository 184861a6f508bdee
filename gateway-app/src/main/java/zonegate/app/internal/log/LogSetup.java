package zonegate.app.internal.log;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.tinylog.configuration.Configuration;

/**
 * Configures tinylog once, before the first log line: standard error always, and a file when asked.
 * Standard output stays free for what a command prints (keys, configs).
 */
public final class LogSetup {
    private static final String TEXT_FORMAT =
            "{date:yyyy-MM-dd'T'HH:mm:ss.SSSXXX} {level|min-size=5} {class-name}: {message}";

    private LogSetup() {}

    /**
     * @param format text or JSON lines
     * @param level tinylog level name (trace, debug, info, warn, error, off)
     * @param logFile extra file to write, or null
     */
    public static void configure(LogFormat format, String level, Path logFile) {
        Map<String, String> config = new HashMap<>();
        config.put("level", level.toLowerCase(Locale.ROOT));
        config.put("writingthread", "true");
        addWriter(config, "writer", format, null);
        if (logFile != null) {
            addWriter(config, "writer2", format, logFile);
        }
        Configuration.replace(config);
        JulBridge.install(level);
    }

    private static void addWriter(Map<String, String> config, String name, LogFormat format, Path file) {
        switch (format) {
            case TEXT -> {
                config.put(name, file == null ? "console" : "file");
                config.put(name + ".format", TEXT_FORMAT);
                if (file == null) {
                    config.put(name + ".stream", "err");
                }
            }
            case JSON -> config.put(name, "json line");
        }
        if (file != null) {
            config.put(name + ".file", file.toString());
            config.put(name + ".append", "true");
            config.put(name + ".buffered", "true");
        }
    }
}
