package zonegate.app.internal.controlplane;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Supplier;

/**
 * What reading a configuration depends on besides its text.
 *
 * @param baseDirectory where relative key-file paths start (the configuration file's directory)
 * @param clock the wall clock, to note policies that have already expired
 * @param systemResolvers the host's resolvers, the default of {@code gateway.upstreamDns}
 */
public record LoadContext(Path baseDirectory, InstantSource clock, Supplier<List<InetAddress>> systemResolvers) {
}
