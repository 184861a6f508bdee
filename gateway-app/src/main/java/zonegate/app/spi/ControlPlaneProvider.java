package zonegate.app.spi;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A named factory of {@link ControlPlane}s, found with {@link ServiceLoader}. A module offers one with
 * {@code provides zonegate.app.spi.ControlPlaneProvider with ...;}; the gateway picks it by
 * {@link #name()}.
 *
 * <pre>{@code
 * ControlPlaneProvider provider = ControlPlaneProvider.named("static").orElseThrow();
 * try (ControlPlane plane = provider.open(ControlPlaneOptions.ofFile(Path.of("/etc/zonegate/gateway.json")))) {
 *     plane.start(listener);
 *     ...
 * }
 * }</pre>
 *
 * <p>Implementations must have a public no-argument constructor (or a public static
 * {@code provider()} method) and be thread-safe; {@link #open} may be called more than once.
 */
public interface ControlPlaneProvider {
    /** The provider's name, unique among installed providers, e.g. {@code "static"}. */
    String name();

    /**
     * A new, not yet started control plane. Cheap: reads nothing and starts no thread; problems with
     * the configuration it names are reported through {@link ControlPlane#start}.
     *
     * @throws IllegalArgumentException if the options lack something this provider needs
     */
    ControlPlane open(ControlPlaneOptions options);

    /**
     * The installed provider called {@code name}, searched with the service loader of this module's
     * layer (and its parents).
     */
    static Optional<ControlPlaneProvider> named(String name) {
        return ServiceLoader.load(ControlPlaneProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals(name))
                .findFirst();
    }
}
