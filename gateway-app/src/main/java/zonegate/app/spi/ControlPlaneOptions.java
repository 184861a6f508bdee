package zonegate.app.spi;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to open a {@link ControlPlane}.
 *
 * @param configFile the configuration file (for the static control plane, the JSON policy)
 * @param reloadOnHangupSignal whether SIGHUP triggers a reload (one process-wide handler; turn it
 *     off when embedding in a service that owns SIGHUP)
 * @param reloadOnFileChange whether a change to {@code configFile} triggers a reload
 */
public record ControlPlaneOptions(Path configFile, boolean reloadOnHangupSignal, boolean reloadOnFileChange) {
    public ControlPlaneOptions {
        Objects.requireNonNull(configFile, "configFile");
    }

    /** Options for {@code configFile} that reload on SIGHUP and on file changes. */
    public static ControlPlaneOptions ofFile(Path configFile) {
        return new ControlPlaneOptions(configFile, true, true);
    }
}
