package zonegate.wireguard.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stock wireguard-go interface inside a {@link NetnsHost}, configured with `wg` like an operator
 * would: its own key, a listen port, one peer (us) and a tunnel address.
 */
final class WireGuardGoPeer {
    static final String WIREGUARD_GO = "/usr/bin/wireguard-go";
    static final String WG = "/usr/bin/wg";

    final NetnsHost host;
    final String ifname;
    final String publicKey;
    final int listenPort;

    private WireGuardGoPeer(NetnsHost host, String ifname, String publicKey, int listenPort) {
        this.host = host;
        this.ifname = ifname;
        this.publicKey = publicKey;
        this.listenPort = listenPort;
    }

    /**
     * Starts wireguard-go and configures it.
     *
     * @param ourPublicKey our side's key (base64)
     * @param ourEndpoint where wireguard-go sends to reach us (outside the namespace)
     * @param tunnelAddress its own tunnel address with prefix, e.g. "100.64.0.2/32"
     * @param ourTunnelAddress our tunnel address, routed into the tunnel and allowed as our source
     */
    static WireGuardGoPeer start(NetnsHost host, Path dir, String ourPublicKey, InetSocketAddress ourEndpoint,
            String tunnelAddress, String ourTunnelAddress) throws IOException, InterruptedException {
        // The UAPI socket lives in /var/run/wireguard for the whole machine: names must be unique.
        String ifname = "zgwg" + (host.name.hashCode() & 0xFFFFF);
        host.start(dir.resolve(ifname + ".log"), WIREGUARD_GO, "-f", ifname);
        Path socket = Path.of("/var/run/wireguard", ifname + ".sock");
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            Thread.sleep(50);
        }
        if (!Files.exists(socket)) {
            throw new IOException("wireguard-go did not create " + socket + "; see " + dir.resolve(ifname + ".log"));
        }
        String privateKey = NetnsHost.run(WG, "genkey").strip();
        Path keyFile = NetnsHost.secretFile(dir, ifname + ".key", privateKey);
        int listenPort = 51820;
        host.exec(WG, "set", ifname, "private-key", keyFile.toString(), "listen-port", Integer.toString(listenPort),
                "peer", ourPublicKey,
                "endpoint", ourEndpoint.getAddress().getHostAddress() + ":" + ourEndpoint.getPort(),
                "allowed-ips", ourTunnelAddress + "/32");
        host.exec("ip", "addr", "add", tunnelAddress, "dev", ifname);
        host.exec("ip", "link", "set", ifname, "up");
        host.exec("ip", "route", "add", ourTunnelAddress + "/32", "dev", ifname);
        String publicKey = host.exec(WG, "show", ifname, "public-key").strip();
        return new WireGuardGoPeer(host, ifname, publicKey, listenPort);
    }

    /** Where we reach wireguard-go. */
    InetSocketAddress endpoint() {
        return new InetSocketAddress(host.insideAddress, listenPort);
    }

    /** Unix seconds of the latest completed handshake with us, 0 if none. */
    long latestHandshakeUnixSeconds() throws IOException, InterruptedException {
        String line = host.exec(WG, "show", ifname, "latest-handshakes").strip();
        String[] fields = line.split("\\s+");
        return fields.length == 2 ? Long.parseLong(fields[1]) : 0;
    }
}
