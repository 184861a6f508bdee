package zonegate.app.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zonegate.app.spi.ControlPlaneListener;
import zonegate.app.spi.ControlPlaneOptions;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.PolicyRejection;

/**
 * Reloads through the real file system, watch service and signal. Waiting is bounded and event
 * driven (a queue poll ends as soon as the listener is called), never a fixed sleep.
 */
class StaticControlPlaneTest {
    private static final long QUIET_NS = StaticControlPlane.DEFAULT_QUIET_NS;
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path directory;

    private final BlockingQueue<Object> updates = new LinkedBlockingQueue<>();
    private final ControlPlaneListener listener = new ControlPlaneListener() {
        @Override
        public void onPolicy(GatewayPolicy policy) {
            updates.add(policy);
        }

        @Override
        public void onRejected(PolicyRejection rejection) {
            updates.add(rejection);
        }
    };
    private StaticControlPlane plane;

    @AfterEach
    void close() {
        if (plane != null) {
            plane.close();
        }
    }

    @Test
    void startDeliversTheInitialPolicyBeforeReturning() throws IOException {
        Path file = write(withPort(51820));

        open(file, false, false).start(listener);

        assertThat(updates.poll()).isInstanceOfSatisfying(GatewayPolicy.class,
                policy -> assertThat(policy.gateway().listenPort()).isEqualTo(51820));
    }

    @Test
    void startWithAnInvalidFileDeliversARejection() throws IOException {
        Path file = write("{");

        open(file, false, false).start(listener);

        assertThat(updates.poll()).isInstanceOf(PolicyRejection.class);
    }

    @Test
    void startTwiceIsAProgrammingError() throws IOException {
        open(write(withPort(51820)), false, false).start(listener);

        assertThatThrownBy(() -> plane.start(listener)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reloadRequestDeliversTheChangedPolicy() throws Exception {
        Path file = write(withPort(51820));
        open(file, false, false).start(listener);
        updates.take();
        Files.writeString(file, withPort(51821));

        plane.reload();

        assertThat(port(updates.poll())).isEqualTo(51821);
    }

    @Test
    void hangupSignalDeliversTheChangedPolicy() throws Exception {
        Path file = write(withPort(51820));
        open(file, true, false).start(listener);
        updates.take();
        Files.writeString(file, withPort(51822));

        HangupSignal.raise();

        assertThat(port(next())).isEqualTo(51822);
    }

    @Test
    void fileChangeDeliversTheChangedPolicy() throws Exception {
        Path file = write(withPort(51820));
        open(file, false, true).start(listener);
        updates.take();

        Files.writeString(file, withPort(51823));

        assertThat(port(next())).isEqualTo(51823);
    }

    @Test
    void savingTheSameTextAgainDeliversThePolicyAgain() throws Exception {
        Path file = write(withPort(51820));
        open(file, false, true).start(listener);
        updates.take();

        Files.writeString(file, withPort(51820));

        assertThat(port(next())).isEqualTo(51820);
    }

    @Test
    void invalidChangeIsRefusedWithLineAndReasonAndTheOldPolicyStays() throws Exception {
        Path file = write(withPort(51820));
        open(file, false, true).start(listener);
        updates.take();

        Files.writeString(file, TestConfigs.validWith("\"ipv4\": \"100.64.0.3\"", "\"ipv4\": \"10.9.9.9\""));

        PolicyRejection rejection = (PolicyRejection) next();
        assertThat(rejection.describe()).isEqualTo(file + ":17:15: clients[1].ipv4: 10.9.9.9 is outside the tunnel"
                + " range 100.64.0.0/11");
        assertThat(updates).isEmpty();
    }

    @Test
    void validChangeAfterARefusedOneIsDelivered() throws Exception {
        Path file = write(withPort(51820));
        open(file, false, true).start(listener);
        updates.take();
        Files.writeString(file, "{ not json");
        assertThat(next()).isInstanceOf(PolicyRejection.class);

        Files.writeString(file, withPort(51824));

        assertThat(port(next())).isEqualTo(51824);
    }

    @Test
    void fileReplacedByRenameIsSeen() throws Exception {
        Path file = write(withPort(51820));
        open(file, false, true).start(listener);
        updates.take();
        Path temporary = directory.resolve(".gateway.json.swp");
        Files.writeString(temporary, withPort(51825));

        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThat(port(next())).isEqualTo(51825);
    }

    @Test
    void burstOfWritesIsDeliveredAsItsFinalContent() throws Exception {
        Path file = write(withPort(51820));
        open(file, false, true).start(listener);
        updates.take();

        for (int port = 51830; port <= 51839; port++) {
            Files.writeString(file, withPort(port));
        }

        assertThat(port(next())).isEqualTo(51839);
    }

    @Test
    void reloadAfterCloseDeliversNothing() throws Exception {
        Path file = write(withPort(51820));
        open(file, true, true).start(listener);
        updates.take();

        plane.close();
        plane.reload();

        assertThat(updates).isEmpty();
    }

    private StaticControlPlane open(Path file, boolean hangup, boolean watch) {
        plane = new StaticControlPlane(new ControlPlaneOptions(file, hangup, watch),
                path -> TestConfigs.context(directory), QUIET_NS);
        return plane;
    }

    private Path write(String text) throws IOException {
        return Files.writeString(directory.resolve("gateway.json"), text);
    }

    private Object next() throws InterruptedException {
        Object update = updates.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(update).as("an update within %d s", WAIT_SECONDS).isNotNull();
        return update;
    }

    private static String withPort(int port) {
        return TestConfigs.validWith("\"upstreamDns\": [", "\"listenPort\": " + port + ", \"upstreamDns\": [");
    }

    private static int port(Object update) {
        assertThat(update).isInstanceOf(GatewayPolicy.class);
        return ((GatewayPolicy) update).gateway().listenPort();
    }
}
