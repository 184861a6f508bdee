package zonegate.app.internal.client;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * Where the host looks for DNS servers: the client points it at the stub resolver's sentinel addresses
 * ({@link ResolvConf} with {@code --dns resolv-conf}) or leaves it alone ({@link #NONE}, {@code --dns none}).
 */
interface SystemDns {
    /** Leaves the host's DNS as it is. */
    SystemDns NONE = new SystemDns() {
        @Override
        public void useServers(List<InetAddress> servers) {
        }

        @Override
        public void restore() {
        }
    };

    /** Makes the host use {@code servers}, in order (an empty list changes nothing). */
    void useServers(List<InetAddress> servers) throws IOException;

    /** Puts back what the host used before. Idempotent. */
    void restore() throws IOException;
}
