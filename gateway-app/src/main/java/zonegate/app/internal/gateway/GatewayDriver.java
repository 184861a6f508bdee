package zonegate.app.internal.gateway;

import zonegate.app.internal.observe.StateMetrics;
import zonegate.app.internal.observe.StateSnapshot;
import zonegate.app.internal.status.StatusCollector;
import zonegate.app.internal.status.StatusReport;
import zonegate.app.internal.status.StatusRequest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;
import zonegate.app.internal.dns.DnsClients;
import zonegate.shell.loop.Outbound;
import zonegate.shell.loop.StateMachineDriver;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.filter.Authorization;
import zonegate.filter.ClientId;
import zonegate.filter.GatewayServices;
import zonegate.filter.TunnelAddresses;
import zonegate.nat64.Addresses;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.ClientSpec;
import zonegate.tunnel.GatewayEvent;
import zonegate.tunnel.GatewayState;
import zonegate.tunnel.TransmitSink;

/**
 * Drives {@link GatewayState} from the event loop: datagrams from the UDP sockets and packets from the
 * TUN device go in, and after every input the state machine's outputs are drained into the loop's
 * outbound queues (datagrams to the socket of the destination's family, packets to the TUN queue of
 * their flow). Control-plane policies and DNS questions arrive as {@link GatewayCommand}s.
 *
 * <p>Runs only on the state thread. Input buffers stay the loop's (the state machine copies what it
 * keeps); output buffers come from the shared pool and pass to the loop.
 */
final class GatewayDriver implements StateMachineDriver {
    private final GatewayState state;
    private final int ipv4Socket;
    private final int ipv6Socket;
    private final TransmitSink transmitSink = this::transmit;
    private final DnsClients dnsClients = new DnsClients();
    private Outbound outbound;
    private GatewayPolicy policy;
    /** The settings the gateway started with: port and tunnel addresses change only with a restart. */
    private final GatewaySettings started;
    private long unroutableTransmits;

    /**
     * @param ipv4Socket index of the IPv4 UDP socket in the loop, or -1
     * @param ipv6Socket index of the IPv6 UDP socket in the loop, or -1
     */
    GatewayDriver(GatewayState state, GatewayPolicy initialPolicy, int ipv4Socket, int ipv6Socket) {
        this.state = state;
        this.policy = initialPolicy;
        this.started = initialPolicy.gateway();
        this.ipv4Socket = ipv4Socket;
        this.ipv6Socket = ipv6Socket;
    }

    @Override
    public void onStart(Outbound loopOutbound, long nowNs) {
        this.outbound = loopOutbound;
        apply(policy, nowNs);
    }

    @Override
    public void onCommand(Object command, long nowNs) {
        if (command instanceof StateSnapshot.Request request) {
            request.answer(out -> StateMetrics.gateway(state, out));
            return;
        }
        if (command instanceof StatusRequest request) {
            request.answer(() -> StatusCollector.gateway(state, self(), request, nowNs));
            return;
        }
        switch ((GatewayCommand) command) {
            case GatewayCommand.ApplyPolicy(GatewayPolicy next) -> apply(next, nowNs);
            case GatewayCommand.PlanDns(var client, var name, var result) ->
                    result.complete(state.planDnsQuery(client, name, nowNs));
            case GatewayCommand.AssignDnsProxies(var client, var domain, var resolved, var result) ->
                    result.complete(state.assignDns(client, domain, resolved, nowNs));
            case GatewayCommand.WithState(var task) -> task.accept(state);
        }
        drainOutputs();
    }

    @Override
    public boolean onDatagram(int socketIndex, InetSocketAddress from, PooledBuffer datagram, long nowNs) {
        state.handleNetworkInput(from, datagram.buffer(), nowNs);
        drainOutputs();
        return false;
    }

    @Override
    public boolean onDevicePacket(int queueIndex, PooledBuffer packet, long nowNs) {
        state.handleDeviceInput(packet.buffer(), nowNs);
        drainOutputs();
        return false;
    }

    @Override
    public void onTimeout(long nowNs) {
        state.handleTimeout(nowNs);
        drainOutputs();
    }

    @Override
    public long nextDeadlineNs() {
        return state.pollTimeout();
    }

    /** The clients' tunnel addresses for the DNS server, republished after every policy change. */
    DnsClients dnsClients() {
        return dnsClients;
    }

    /** The status page's interface block, as far as the driver knows it (the shell adds the device's name). */
    private StatusReport.Self self() {
        List<String> listen = ipv6Socket < 0 ? List.of("0.0.0.0:" + started.listenPort())
                : List.of("0.0.0.0:" + started.listenPort(), "[::]:" + started.listenPort());
        return new StatusReport.Self("static", null, state.publicKey().toBase64(), listen,
                List.of(started.tunnelIpv4().toString(), started.tunnelIpv6().toString()));
    }

    /** Datagrams for which no socket of the destination's family is open. */
    long unroutableTransmits() {
        return unroutableTransmits;
    }

    /**
     * Applies {@code next}, then destroys its keys: the state machine keeps its own copies (the private
     * key was copied when the state was built from the first policy, which is applied here too).
     */
    private void apply(GatewayPolicy next, long nowNs) {
        try {
            GatewaySettings running = policy.gateway();
            if (!next.gateway().publicKey().equals(state.publicKey())
                    || next.gateway().listenPort() != running.listenPort()
                    || !next.gateway().tunnelIpv4().equals(running.tunnelIpv4())
                    || !next.gateway().tunnelIpv6().equals(running.tunnelIpv6())) {
                Logger.warn("the gateway's key, listen port or tunnel addresses changed in the policy: "
                        + "they take effect at the next restart; clients and policies are applied now");
            }
            if (!next.gateway().allowToGateway().equals(running.allowToGateway())) {
                GatewayServices services = GatewayServices.of(next.gateway().allowToGateway());
                state.setGatewayServices(services, nowNs);
                Logger.info("clients may now reach on the gateway's own addresses: {}", services);
            }
            List<ClientSpec> clients = next.clients().stream()
                    .map(c -> new ClientSpec(c.id(), c.publicKey(), c.presharedKey().orElse(null),
                            c.tunnelAddresses()))
                    .toList();
            Map<ClientId, List<Authorization>> authorizations = next.authorizations();
            state.applyPolicy(clients, authorizations, nowNs);
            publishDnsClients(clients);
            this.policy = next;
            drainOutputs();
        } finally {
            next.destroyKeys();
        }
    }

    /** Publishes the addresses of the clients the state machine accepted (a refused one's are not there). */
    private void publishDnsClients(List<ClientSpec> clients) {
        Map<InetAddress, ClientId> byAddress = new HashMap<>();
        for (ClientSpec c : clients) {
            TunnelAddresses a = c.addresses();
            List<InetAddress> both = List.of(Addresses.toInet4(a.ipv4()), Addresses.toInet6(a.ipv6High(), a.ipv6Low()));
            for (InetAddress address : both) {
                if (c.id().equals(state.dnsClient(address))) {
                    byAddress.put(address, c.id());
                }
            }
        }
        dnsClients.publish(byAddress);
    }

    private void drainOutputs() {
        state.drainTransmits(transmitSink, Integer.MAX_VALUE);
        PooledBuffer packet;
        while ((packet = state.pollPacket()) != null) {
            outbound.writeToDevice(flowHash(packet.buffer()), packet);
        }
        GatewayEvent event;
        while ((event = state.pollEvent()) != null) {
            log(event);
        }
    }

    private void transmit(InetSocketAddress destination, PooledBuffer buffer) {
        int socket = destination.getAddress() instanceof Inet4Address ? ipv4Socket : ipv6Socket;
        if (socket < 0) {
            unroutableTransmits++;
            buffer.pool().release(buffer);
            return;
        }
        outbound.sendDatagram(socket, destination, buffer);
    }

    /** The state machine logs connections and policy changes itself; these are the operator's summaries. */
    private static void log(GatewayEvent event) {
        switch (event) {
            case GatewayEvent.ClientConnected(var cid, var endpoint, long atNs) -> { }
            case GatewayEvent.ClientSessionExpired(var cid, long atNs) ->
                    Logger.debug("cid={} session expired", cid);
            case GatewayEvent.AuthorizationExpired(var cid, var rid) ->
                    Logger.info("cid={} rid={} authorisation expired", cid, rid);
            case GatewayEvent.NoAuthorizationLeft(var cid) ->
                    Logger.info("cid={} has no authorisation left", cid);
            // ICE mode only (IceGatewayState); the static gateway never raises them.
            case GatewayEvent.AuthorizationCreated e -> { }
            case GatewayEvent.CandidatesChanged e -> { }
            case GatewayEvent.ResolveDomain e -> { }
            case GatewayEvent.ConnectionLost e -> { }
            case GatewayEvent.NoRelays e -> { }
        }
    }

    /**
     * A hash of the packet's addresses and ports, so one flow always goes to the same TUN queue (Linux
     * sends a flow's replies to the queue it was last written on; moving it would reorder it).
     */
    static int flowHash(ByteBuffer packet) {
        int at = packet.position();
        int length = packet.remaining();
        if (length < 20) {
            return 0;
        }
        int version = (packet.get(at) & 0xF0) >>> 4;
        if (version == 4) {
            int headerBytes = (packet.get(at) & 0x0F) * 4;
            int ports = length >= headerBytes + 4 ? packet.getInt(at + headerBytes) : 0;
            return mix(packet.getInt(at + 12) ^ Integer.rotateLeft(packet.getInt(at + 16), 16), ports,
                    packet.get(at + 9));
        }
        if (version == 6 && length >= 44) {
            int addresses = 0;
            for (int i = 8; i < 40; i += 4) {
                addresses = addresses * 31 + packet.getInt(at + i);
            }
            return mix(addresses, packet.getInt(at + 40), packet.get(at + 6));
        }
        return 0;
    }

    private static int mix(int addresses, int ports, int protocol) {
        int h = addresses * 0x9E3779B9 ^ ports * 0x85EBCA6B ^ protocol;
        return h ^ (h >>> 16);
    }
}
