package zonegate.app.internal.gateway;

import zonegate.app.internal.observe.StateMetrics;
import zonegate.app.internal.observe.StateSnapshot;
import zonegate.app.internal.status.StatusCollector;
import zonegate.app.internal.status.StatusReport;
import zonegate.app.internal.status.StatusRequest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.tinylog.Logger;
import zonegate.controlplane.PortalEvent;
import zonegate.app.internal.portal.PortalLink;
import zonegate.app.internal.portal.PortalRelays;
import zonegate.app.internal.portal.WireMapping;
import zonegate.app.internal.portal.WireMapping.Mapped;
import zonegate.app.internal.portal.WireMapping.MappedResource;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;
import zonegate.filter.Authorization;
import zonegate.filter.ClientId;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.packet.PooledBuffer;
import zonegate.shell.loop.Outbound;
import zonegate.shell.loop.StateMachineDriver;
import zonegate.tunnel.AuthorizationRef;
import zonegate.tunnel.AuthorizationResult;
import zonegate.tunnel.ClientSpec;
import zonegate.tunnel.GatewayEvent;
import zonegate.tunnel.IceAuthorization;
import zonegate.tunnel.IceGatewayState;
import zonegate.tunnel.TransmitSink;
import zonegate.wireguard.PresharedKey;
import zonegate.wireguard.PublicKey;

/**
 * Drives {@link IceGatewayState} from the event loop: the portal's messages ({@link PortalEvent} commands, handled
 * before any packet of their cycle) become the state machine's commands, its events become messages to the
 * portal ({@link PortalLink}) or work for the shell (a DNS resource's domain to resolve, tunnel addresses
 * for the device), and datagrams and device packets flow as in the static gateway.
 *
 * <p>Runs only on the state thread.
 */
final class IceGatewayDriver implements StateMachineDriver {
    /** The shell's side: what the driver cannot do on the state thread. */
    interface Shell {
        /** The portal gave these tunnel addresses: put them on the device (quick netlink calls). */
        void configureTunnel(TunnelAddresses addresses);

        /** Resolve {@code domain} (A and AAAA) off the state thread; answer with {@link DomainResolved}. */
        void resolve(ClientId client, String domain);

        /** The portal refused our token: stop with this reason. */
        void refused(String reason);
    }

    /** A resolver thread's answer to {@link Shell#resolve}: the addresses, or null when it failed. */
    record DomainResolved(ClientId client, String domain, List<InetAddress> addresses) {
    }

    private final IceGatewayState state;
    private final List<InetSocketAddress> socketAddresses;
    private final PortalLink portal;
    private final Shell shell;
    private final TransmitSink transmitSink = this::transmit;
    private final PortalRelays relays = new PortalRelays();
    private Outbound outbound;
    private TunnelAddresses configured;
    private long unroutableTransmits;

    /**
     * @param socketAddresses the node's socket addresses, by the loop's socket index
     */
    IceGatewayDriver(IceGatewayState state, List<InetSocketAddress> socketAddresses, PortalLink portal, Shell shell) {
        this.state = state;
        this.socketAddresses = List.copyOf(socketAddresses);
        this.portal = portal;
        this.shell = shell;
    }

    @Override
    public void onStart(Outbound loopOutbound, long nowNs) {
        this.outbound = loopOutbound;
    }

    @Override
    public void onCommand(Object command, long nowNs) {
        switch (command) {
            case PortalEvent input -> onPortal(input, nowNs);
            case StateSnapshot.Request request -> request.answer(out -> StateMetrics.iceGateway(state, out));
            case StatusRequest request -> {
                request.answer(() -> StatusCollector.iceGateway(state, self(), request, nowNs));
                return;
            }
            case DomainResolved(ClientId client, String domain, List<InetAddress> addresses) ->
                    state.domainResolved(client, domain, addresses, nowNs);
            default -> throw new IllegalArgumentException("not a gateway command: " + command);
        }
        drainOutputs();
    }

    @Override
    public boolean onDatagram(int socketIndex, InetSocketAddress from, PooledBuffer datagram, long nowNs) {
        state.handleNetworkInput(socketAddresses.get(socketIndex), from, datagram.buffer(), nowNs);
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

    /** Graceful stop: a goodbye to every client (the loop flushes them for at most its stop time). */
    @Override
    public void onStop(long nowNs) {
        state.closeAll(nowNs);
        drainOutputs();
    }

    /** The status page's interface block, as far as the driver knows it (the shell adds the device's name). */
    private StatusReport.Self self() {
        List<String> tunnel = configured == null ? List.of() : List.of(
                zonegate.app.spi.InterfaceAddress.text(zonegate.nat64.Addresses.toInet4(configured.ipv4())) + "/11",
                zonegate.app.spi.InterfaceAddress.text(
                        zonegate.nat64.Addresses.toInet6(configured.ipv6High(), configured.ipv6Low())) + "/107");
        return new StatusReport.Self("ice", null, state.publicKey().toBase64(),
                socketAddresses.stream().map(StatusCollector::text).toList(), tunnel);
    }

    /** Datagrams for which no socket of the destination's family is open. */
    long unroutableTransmits() {
        return unroutableTransmits;
    }

    private void onPortal(PortalEvent input, long nowNs) {
        switch (input) {
            case PortalEvent.Connected() -> state.setControlPlaneConnected(true, nowNs);
            case PortalEvent.Disconnected(String reason) -> state.setControlPlaneConnected(false, nowNs);
            case PortalEvent.Refused(String reason) -> shell.refused(reason);
            case PortalEvent.Message(var frame) -> {
                if (frame.message() instanceof PortalMessage.ToGateway message) {
                    onMessage(frame.ref(), message, nowNs);
                } else {
                    Logger.debug("ignored a {} frame from the portal: not for a gateway", frame.message().event());
                }
            }
        }
    }

    private void onMessage(String ref, PortalMessage.ToGateway message, long nowNs) {
        switch (message) {
            case PortalMessage.Reply(boolean ok, String reason) -> {
                if (!ok) {
                    Logger.warn("the portal refused request {}: {}", ref, reason);
                }
            }
            case PortalMessage.GatewayInit(Wire.Interface iface, List<Wire.Relay> relays, var authorizations) ->
                    init(iface, relays, authorizations, nowNs);
            case PortalMessage.CreateAuthorization create -> createAuthorization(ref, create, nowNs);
            case PortalMessage.IceCandidates(String clientId, List<String> candidates) ->
                    client(clientId, "ice_candidates", id ->
                            state.addRemoteCandidates(id, WireMapping.candidates(candidates), nowNs));
            case PortalMessage.InvalidateIceCandidates(String clientId, List<String> candidates) ->
                    client(clientId, "invalidate_ice_candidates", id ->
                            state.removeRemoteCandidates(id, WireMapping.candidates(candidates), nowNs));
            case PortalMessage.RejectAccess(String clientId, String resourceId) ->
                    client(clientId, "reject_access", id -> resource(resourceId, "reject_access",
                            rid -> state.rejectAccess(id, rid, nowNs)));
            case PortalMessage.ResourceUpdated(Wire.Resource wire) -> {
                switch (WireMapping.resource(wire)) {
                    case Mapped.Valid<MappedResource>(MappedResource r) -> state.resourceUpdated(r.resource(), r.filters(), nowNs);
                    case Mapped.Invalid<MappedResource>(String reason) ->
                            Logger.warn("ignored resource_updated from the portal: {}", reason);
                }
            }
            case PortalMessage.RelaysPresence(List<String> disconnected, List<Wire.Relay> connected) -> {
                PortalRelays.Change change = relays.presence(disconnected, connected);
                state.updateRelays(change.add(), change.remove(), nowNs);
            }
        }
    }

    private void init(Wire.Interface iface, List<Wire.Relay> relayList, List<Wire.Authorization> authorizations,
            long nowNs) {
        TunnelAddresses addresses = switch (WireMapping.tunnelAddresses(iface)) {
            case Mapped.Valid<TunnelAddresses>(TunnelAddresses valid) -> valid;
            case Mapped.Invalid<TunnelAddresses>(String reason) -> {
                Logger.warn("ignored the portal's init: {}", reason);
                yield null;
            }
        };
        if (addresses == null) {
            return;
        }
        if (!addresses.equals(configured)) {
            shell.configureTunnel(addresses);
            configured = addresses;
        }
        List<AuthorizationRef> refs = new ArrayList<>(authorizations.size());
        for (Wire.Authorization a : authorizations) {
            try {
                refs.add(new AuthorizationRef(ClientId.of(a.clientId()), ResourceId.of(a.resourceId()),
                        a.expiresAtUnixSeconds() == null ? Authorization.NEVER : a.expiresAtUnixSeconds()));
            } catch (IllegalArgumentException e) {
                Logger.warn("ignored an authorisation in the portal's init ({} {}): {}", a.clientId(), a.resourceId(),
                        e.getMessage());
            }
        }
        state.init(addresses, relays.replace(relayList), refs, nowNs);
        Logger.info("portal init: tunnel {}, {} relays, {} authorisations", addresses, relays.size(), refs.size());
    }

    private void createAuthorization(String ref, PortalMessage.CreateAuthorization create, long nowNs) {
        IceAuthorization authorization;
        try {
            authorization = iceAuthorization(create);
        } catch (IllegalArgumentException e) {
            Logger.warn("refused create_authorization {} from the portal: {}", ref, e.getMessage());
            return;
        }
        AuthorizationResult result = state.createAuthorization(authorization, nowNs);
        if (result == AuthorizationResult.CREATED) {
            portal.reply(ref, new PortalMessage.AuthorizationCreated());
        } else {
            Logger.warn("cid={} rid={} not authorised: {}", create.client().id(), create.resource().id(), result);
        }
    }

    private static IceAuthorization iceAuthorization(PortalMessage.CreateAuthorization create) {
        MappedResource resource = switch (WireMapping.resource(create.resource())) {
            case Mapped.Valid<MappedResource>(MappedResource valid) -> valid;
            case Mapped.Invalid<MappedResource>(String reason) -> throw new IllegalArgumentException(reason);
        };
        Wire.Client c = create.client();
        TunnelAddresses addresses = TunnelAddresses.of(c.ipv4(), c.ipv6());
        PresharedKey psk = c.presharedKey() == null ? null : PresharedKey.parse(c.presharedKey());
        ClientSpec client = new ClientSpec(ClientId.of(c.id()), PublicKey.parse(c.publicKey()), psk, addresses);
        long expiry = create.expiresAtUnixSeconds() == null ? Authorization.NEVER : create.expiresAtUnixSeconds();
        return new IceAuthorization(client, ice(create.clientIce()), ice(create.gatewayIce()),
                new Authorization(resource.resource(), resource.filters(), expiry));
    }

    private static zonegate.ice.IceCredentials ice(Wire.IceCredentials wire) {
        return new zonegate.ice.IceCredentials(wire.username(), wire.password());
    }

    private static void client(String id, String event, Consumer<ClientId> action) {
        try {
            action.accept(ClientId.of(Objects.requireNonNull(id)));
        } catch (IllegalArgumentException e) {
            Logger.debug("ignored {} for client \"{}\": {}", event, id, e.getMessage());
        }
    }

    private static void resource(String id, String event, Consumer<ResourceId> action) {
        try {
            action.accept(ResourceId.of(id));
        } catch (IllegalArgumentException e) {
            Logger.debug("ignored {} for resource \"{}\": {}", event, id, e.getMessage());
        }
    }

    private void drainOutputs() {
        state.drainTransmits(transmitSink, Integer.MAX_VALUE);
        PooledBuffer packet;
        while ((packet = state.pollPacket()) != null) {
            outbound.writeToDevice(GatewayDriver.flowHash(packet.buffer()), packet);
        }
        GatewayEvent event;
        while ((event = state.pollEvent()) != null) {
            onEvent(event);
        }
    }

    private void onEvent(GatewayEvent event) {
        switch (event) {
            case GatewayEvent.CandidatesChanged(ClientId cid, var added, var removed) -> {
                if (!added.isEmpty()) {
                    portal.send(new PortalMessage.BroadcastIceCandidates(List.of(cid.value()),
                            WireMapping.candidateLines(added)));
                }
                if (!removed.isEmpty()) {
                    portal.send(new PortalMessage.BroadcastInvalidatedIceCandidates(List.of(cid.value()),
                            WireMapping.candidateLines(removed)));
                }
            }
            case GatewayEvent.ResolveDomain(ClientId cid, ResourceId rid, String domain) -> shell.resolve(cid, domain);
            case GatewayEvent.NoRelays() -> portal.send(new PortalMessage.NoRelays());
            case GatewayEvent.ConnectionLost(ClientId cid, String reason) ->
                    Logger.info("cid={} connection lost: {}", cid, reason);
            case GatewayEvent.AuthorizationExpired(var cid, var rid) ->
                    Logger.info("cid={} rid={} authorisation expired", cid, rid);
            case GatewayEvent.NoAuthorizationLeft(var cid) -> Logger.info("cid={} has no authorisation left", cid);
            case GatewayEvent.ClientConnected e -> { }
            case GatewayEvent.ClientSessionExpired e -> { }
            // Answered when createAuthorization returned CREATED, with the request's ref.
            case GatewayEvent.AuthorizationCreated e -> { }
        }
    }

    private void transmit(InetSocketAddress destination, PooledBuffer buffer) {
        boolean ipv4 = destination.getAddress() instanceof Inet4Address;
        for (int i = 0; i < socketAddresses.size(); i++) {
            if ((socketAddresses.get(i).getAddress() instanceof Inet4Address) == ipv4) {
                outbound.sendDatagram(i, destination, buffer);
                return;
            }
        }
        unroutableTransmits++;
        buffer.pool().release(buffer);
    }
}
