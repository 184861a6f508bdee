package zonegate.app.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JulBridgeTest {
    private final Logger httpServer = Logger.getLogger("com.sun.net.httpserver");
    private final Logger helidon = Logger.getLogger("io.helidon.webserver");

    @AfterEach
    void restore() {
        JulBridge.install("info");
    }

    @Test
    void atDebugTheHttpServersPerRequestLinesAreLeftOutAndOtherLibrariesDebugPasses() {
        JulBridge.install("debug");

        assertThat(httpServer.isLoggable(Level.FINE)).isFalse();
        assertThat(httpServer.isLoggable(Level.INFO)).isTrue();
        assertThat(helidon.isLoggable(Level.FINE)).isTrue();
    }

    @Test
    void atTraceEverythingPassesAndAtWarnNothingBelowIt() {
        JulBridge.install("trace");
        assertThat(httpServer.isLoggable(Level.FINEST)).isTrue();

        JulBridge.install("warn");
        assertThat(httpServer.isLoggable(Level.INFO)).isFalse();
        assertThat(httpServer.isLoggable(Level.WARNING)).isTrue();
    }
}
