package zonegate.app.internal.controlplane;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's resolvers: the {@code nameserver} lines of {@code /etc/resolv.conf}, the default upstream DNS. */
public final class SystemResolvers {
    private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    private SystemResolvers() {}

    /** The nameservers of /etc/resolv.conf, or an empty list if it is missing or lists none. */
    public static List<InetAddress> fromResolvConf() {
        try {
            return parse(Files.readAllLines(RESOLV_CONF, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The addresses of the {@code nameserver} lines; scoped (link-local {@code %eth0}) and malformed ones are skipped. */
    public static List<InetAddress> parse(List<String> lines) {
        List<InetAddress> resolvers = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                try {
                    resolvers.add(AddressText.host(words[1]));
                } catch (IllegalArgumentException e) {
                    // a resolver we cannot use is left out; the explicit setting is the remedy
                }
            }
        }
        return List.copyOf(resolvers);
    }
}
