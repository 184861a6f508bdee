package zonegate.turn.server;

import java.net.InetSocketAddress;

/**
 * A snapshot of one allocation's state and traffic.
 *
 * @param username the USERNAME that created it
 * @param client the client's transport address
 * @param relayed the relayed transport address
 * @param permissions installed permissions (peer IPs)
 * @param channels bound channels
 * @param messagesToPeers datagrams relayed from the client to peers
 * @param bytesToPeers application bytes relayed from the client to peers
 * @param messagesToClient datagrams relayed from peers to the client
 * @param bytesToClient application bytes relayed from peers to the client
 */
public record AllocationStats(String username, InetSocketAddress client, InetSocketAddress relayed,
        int permissions, int channels, long messagesToPeers, long bytesToPeers, long messagesToClient,
        long bytesToClient) {
}
