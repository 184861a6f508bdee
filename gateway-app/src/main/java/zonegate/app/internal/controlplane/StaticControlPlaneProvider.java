package zonegate.app.internal.controlplane;

import zonegate.app.spi.ControlPlane;
import zonegate.app.spi.ControlPlaneOptions;
import zonegate.app.spi.ControlPlaneProvider;

/**
 * The {@code "static"} control plane: a JSON file of gateway settings, clients, resources and
 * policies (see {@code examples/gateway.json}), reloaded on SIGHUP and when the file changes.
 */
public final class StaticControlPlaneProvider implements ControlPlaneProvider {
    /** The name to select this provider by. */
    public static final String NAME = "static";

    /** For {@link java.util.ServiceLoader}. */
    public StaticControlPlaneProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ControlPlane open(ControlPlaneOptions options) {
        return new StaticControlPlane(options, PolicyFile::systemContext, StaticControlPlane.DEFAULT_QUIET_NS);
    }
}
