package zonegate.tunnel.internal.client;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import zonegate.filter.ResourceId;
import zonegate.tunnel.GatewayAccess;

/**
 * Which gateway serves each resource the client was authorised for, the packets waiting for an
 * authorisation (at most {@link #PENDING_PACKETS} per resource, for at most {@link #MAX_PENDING_RESOURCES}
 * resources) and the throttle of connection intents (one per resource per {@link #INTENT_INTERVAL_NS}).
 */
public final class Access {
    public static final long INTENT_INTERVAL_NS = 2_000_000_000L;
    public static final int PENDING_PACKETS = 128;
    public static final int MAX_PENDING_RESOURCES = 256;

    private final Map<ResourceId, String> gatewayByResource = new HashMap<>();
    private final Map<String, GatewayAccess> gateways = new HashMap<>();
    private final Map<String, String> siteByGateway = new HashMap<>();
    /** The last gateway that served a resource, kept across disconnections (preferred in intents). */
    private final Map<ResourceId, String> lastGateway = new HashMap<>();
    private final Map<ResourceId, Long> lastIntentNs = new HashMap<>();
    private final Map<ResourceId, PendingPackets> pending = new LinkedHashMap<>();

    /** The gateway authorised for {@code resource}, or null. */
    public String gateway(ResourceId resource) {
        return gatewayByResource.get(resource);
    }

    public GatewayAccess access(String gatewayId) {
        return gateways.get(gatewayId);
    }

    public String site(String gatewayId) {
        return siteByGateway.get(gatewayId);
    }

    /** Records an authorisation; returns the packets that waited for it (the caller sends them). */
    public PendingPackets authorize(GatewayAccess access, String siteId) {
        gatewayByResource.put(access.resourceId(), access.gatewayId());
        gateways.put(access.gatewayId(), access);
        siteByGateway.put(access.gatewayId(), siteId);
        lastGateway.put(access.resourceId(), access.gatewayId());
        lastIntentNs.remove(access.resourceId());
        return pending.remove(access.resourceId());
    }

    /** Keeps a packet for a resource without an authorisation; true when an intent is due now. */
    public boolean hold(ResourceId resource, ByteBuffer packet, int offset, int length, long nowNs) {
        PendingPackets waiting = pending.get(resource);
        if (waiting == null) {
            if (pending.size() >= MAX_PENDING_RESOURCES) {
                pending.remove(pending.keySet().iterator().next());
            }
            waiting = new PendingPackets(PENDING_PACKETS);
            pending.put(resource, waiting);
        }
        waiting.offer(packet, offset, length);
        Long last = lastIntentNs.get(resource);
        if (last != null && nowNs - last < INTENT_INTERVAL_NS) {
            return false;
        }
        lastIntentNs.put(resource, nowNs);
        return true;
    }

    /** The gateway already used for the resource, then the connected ones (by id). */
    public List<String> preferredGateways(ResourceId resource, Predicate<String> connected) {
        List<String> out = new ArrayList<>();
        String last = lastGateway.get(resource);
        if (last != null) {
            out.add(last);
        }
        for (String g : new TreeSet<>(gateways.keySet())) {
            if (!g.equals(last) && connected.test(g)) {
                out.add(g);
            }
        }
        return out;
    }

    /** The control plane could not authorise: the waiting packets are dropped. */
    public void refused(ResourceId resource) {
        pending.remove(resource);
    }

    /** A resource is gone: its authorisation and waiting packets; true when its gateway serves no other. */
    public boolean removeResource(ResourceId resource) {
        pending.remove(resource);
        lastIntentNs.remove(resource);
        String gateway = gatewayByResource.remove(resource);
        return gateway != null && !gatewayByResource.containsValue(gateway);
    }

    /** A gateway's connection is gone: every authorisation through it (the next packet asks again). */
    public void dropGateway(String gatewayId) {
        gatewayByResource.values().removeIf(gatewayId::equals);
        gateways.remove(gatewayId);
    }

    /** Every gateway id with an authorisation. */
    public List<String> gatewayIds() {
        return List.copyOf(gateways.keySet());
    }

    /** Roaming or sign-out: every authorisation, waiting packet and throttle; last gateways are kept. */
    public void clear() {
        gatewayByResource.clear();
        gateways.clear();
        pending.clear();
        lastIntentNs.clear();
    }

    /** Hands every waiting packet of {@code resource} to {@code sink}. */
    public static void drain(PendingPackets waiting, Consumer<ByteBuffer> sink) {
        if (waiting != null) {
            waiting.drain(sink);
        }
    }
}
