package zonegate.tunnel.internal.client;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import zonegate.node.P2pMessage;

/**
 * The client's side of DNS-resource NAT, per (gateway, domain): before the first packet to a domain's
 * proxy address goes to a gateway, the gateway is told the proxy addresses (AssignedIps) and the packets
 * wait (at most {@link #BUFFERED_PACKETS}, oldest dropped) for its DomainStatus; AssignedIps is re-sent
 * every {@link #RESEND_NS} until a status arrives. A new local DNS query for the domain sends it again
 * (the gateway re-resolves) while packets keep flowing. Bounded by {@link #MAX_DOMAINS} (the oldest is
 * forgotten and set up again on its next packet).
 */
public final class DomainNats {
    public static final long RESEND_NS = 2_000_000_000L;
    public static final int BUFFERED_PACKETS = 32;
    public static final int MAX_DOMAINS = 4096;

    /** One domain's setup on one gateway. */
    public static final class Setup {
        public final String gatewayId;
        public final P2pMessage.AssignedIps message;
        /** Whether a DomainStatus arrived, and what it said. */
        public boolean answered;
        public boolean active;
        long nextSendNs;
        final PendingPackets waiting = new PendingPackets(BUFFERED_PACKETS);

        Setup(String gatewayId, P2pMessage.AssignedIps message) {
            this.gatewayId = gatewayId;
            this.message = message;
        }
    }

    private final Map<String, Setup> setups = new LinkedHashMap<>();

    /**
     * A packet for {@code domain}'s proxy address through {@code gatewayId}: true when it may be sent now
     * (the gateway answered active, or is being asked again); otherwise it waits and AssignedIps is due.
     * A domain the gateway answered inactive: false, not kept (the caller answers unreachable).
     */
    public boolean admit(String gatewayId, UUID resource, String domain, List<InetAddress> proxies, ByteBuffer packet,
            int offset, int length, long nowNs) {
        Setup s = setups.get(key(gatewayId, domain));
        if (s == null) {
            if (setups.size() >= MAX_DOMAINS) {
                setups.remove(setups.keySet().iterator().next());
            }
            s = new Setup(gatewayId, new P2pMessage.AssignedIps(resource, domain, proxies));
            s.nextSendNs = nowNs;
            setups.put(key(gatewayId, domain), s);
        }
        if (s.answered) {
            return s.active;
        }
        s.waiting.offer(packet, offset, length);
        return false;
    }

    /** Whether the gateway answered {@code domain} inactive (the packet gets network unreachable). */
    public boolean refused(String gatewayId, String domain) {
        Setup s = setups.get(key(gatewayId, domain));
        return s != null && s.answered && !s.active;
    }

    /** Every setup whose AssignedIps is due at {@code nowNs} (the caller sends them); rescheduled. */
    public List<Setup> due(long nowNs) {
        List<Setup> out = new ArrayList<>();
        for (Setup s : setups.values()) {
            if (s.nextSendNs <= nowNs) {
                s.nextSendNs = s.answered ? Long.MAX_VALUE : nowNs + RESEND_NS;
                out.add(s);
            }
        }
        return out;
    }

    public long pollTimeout() {
        long earliest = Long.MAX_VALUE;
        for (Setup s : setups.values()) {
            earliest = Math.min(earliest, s.nextSendNs);
        }
        return earliest;
    }

    /** The gateway's DomainStatus: returns the setup, whose waiting packets the caller drains, or null. */
    public Setup onStatus(String gatewayId, P2pMessage.DomainStatus status) {
        Setup s = setups.get(key(gatewayId, status.domain()));
        if (s == null) {
            return null;
        }
        s.answered = true;
        s.active = status.active();
        s.nextSendNs = Long.MAX_VALUE;
        return s;
    }

    /** Hands a setup's waiting packets over (after an active status) or drops them. */
    public void drain(Setup s, Consumer<ByteBuffer> sink) {
        s.waiting.drain(sink);
    }

    /** A new local query for {@code domain}: every gateway that knows it is told again, now. */
    public void requeried(String domain, long nowNs) {
        for (Setup s : setups.values()) {
            if (s.message.domain().equals(domain)) {
                s.nextSendNs = nowNs;
            }
        }
    }

    /**
     * A due AssignedIps could not be sent (no session at that moment, e.g. it expired while idle and the
     * next packet is re-keying it): tried again in {@link #RESEND_NS}.
     */
    public void retry(Setup s, long nowNs) {
        s.nextSendNs = nowNs + RESEND_NS;
    }

    /** The gateway's connection came up: its pending setups are sent at once. */
    public void connected(String gatewayId, long nowNs) {
        for (Setup s : setups.values()) {
            if (s.gatewayId.equals(gatewayId) && !s.answered) {
                s.nextSendNs = nowNs;
            }
        }
    }

    public void forgetGateway(String gatewayId) {
        setups.values().removeIf(s -> s.gatewayId.equals(gatewayId));
    }

    public void clear() {
        setups.clear();
    }

    private static String key(String gatewayId, String domain) {
        return gatewayId + '\n' + domain;
    }
}
