package zonegate.app.internal.log;

import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.tinylog.Logger;

/**
 * Libraries that log through {@code java.util.logging} (Helidon, in the portal) write through tinylog instead
 * of JUL's own console format, so every line has our format (one JSON object with {@code --log-format json})
 * and our level: the JUL logger's name leads the message.
 */
final class JulBridge extends Handler {
    private static final Formatter MESSAGE = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };

    /**
     * The JDK's HTTP server (the metrics listener) logs three FINE lines per request: kept to INFO unless at
     * trace, so a scrape every few seconds does not fill a debug log. Held here because JUL keeps its loggers
     * only weakly, and a collected logger would forget its level.
     */
    private static final java.util.logging.Logger HTTP_SERVER = java.util.logging.Logger.getLogger("com.sun.net.httpserver");

    private JulBridge() {
    }

    /** Replaces JUL's handlers with this bridge, passing on records at {@code tinylogLevel} and above. */
    static void install(String tinylogLevel) {
        LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        Level level = julLevel(tinylogLevel);
        root.setLevel(level);
        root.addHandler(new JulBridge());
        HTTP_SERVER.setLevel(level == Level.ALL || level.intValue() >= Level.INFO.intValue() ? level : Level.INFO);
    }

    @Override
    public void publish(LogRecord record) {
        String text = record.getLoggerName() + ": " + MESSAGE.format(record);
        Throwable thrown = record.getThrown();
        int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            Logger.error(thrown, "{}", text);
        } else if (level >= Level.WARNING.intValue()) {
            Logger.warn(thrown, "{}", text);
        } else if (level >= Level.INFO.intValue()) {
            Logger.info(thrown, "{}", text);
        } else if (level >= Level.FINE.intValue()) {
            Logger.debug(thrown, "{}", text);
        } else {
            Logger.trace(thrown, "{}", text);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    private static Level julLevel(String tinylogLevel) {
        return switch (tinylogLevel.toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.ALL;
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> Level.OFF;
        };
    }
}
