package zonegate.tunnel.internal;

import java.nio.ByteBuffer;
import zonegate.filter.Decision;
import zonegate.filter.FilterEngine;
import zonegate.filter.GatewayServices;
import zonegate.nat64.SharedPortSpace;
import zonegate.packet.BufferPool;
import zonegate.packet.IcmpError;
import zonegate.packet.IcmpWriter;
import zonegate.packet.IpPacket;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.GatewayConfig;
import zonegate.tunnel.GatewayDropReason;
import zonegate.wireguard.Device;
import zonegate.wireguard.TunnelResult;

/**
 * What both data paths share: the sub-machines, the outputs, the reusable per-packet objects (result,
 * decision, scratch buffer) and the steps both paths end with (encrypt to a client, answer with an ICMP
 * error, hand a packet to the TUN device). Single-threaded, like everything in the gateway.
 */
public final class DataPlane {
    public final GatewayConfig config;
    public final BufferPool pool;
    public final Device device;
    public final ClientLinks links;
    public final FilterEngine engine;
    public final SharedPortSpace ports;
    public final ClientTable clients;
    public final OutputQueues queues;
    public final DenialLog denials;
    public final TunnelResult result = new TunnelResult();
    public final Decision decision = new Decision();
    /** For ICMP errors and translated packets; never holds anything between two calls. */
    public final ByteBuffer scratch;
    public int gateway4;
    public long gateway6High;
    public long gateway6Low;
    /** What clients may send to the gateway's own addresses; replaced on reload. */
    public GatewayServices gatewayServices;
    /** Client packets a filter decision allowed (the denials are drop reasons in {@link #queues}). */
    public long filterAllowed;

    /**
     * @param device the WireGuard device of static mode, or null (ICE mode: the node's)
     */
    public DataPlane(GatewayConfig config, BufferPool pool, Device device, ClientLinks links, FilterEngine engine,
                     SharedPortSpace ports, ClientTable clients, OutputQueues queues, int gateway4, long gateway6High,
                     long gateway6Low) {
        this.config = config;
        this.pool = pool;
        this.device = device;
        this.links = links;
        this.engine = engine;
        this.ports = ports;
        this.clients = clients;
        this.queues = queues;
        this.denials = new DenialLog(config.deniedLogSlots());
        this.scratch = ByteBuffer.allocateDirect(Math.max(pool.bufferSizeBytes(), 65_535 + 64));
        this.gateway4 = gateway4;
        this.gateway6High = gateway6High;
        this.gateway6Low = gateway6Low;
        this.gatewayServices = config.gatewayServices();
    }

    /** Flows in the clients' DNS-resource NAT tables. */
    public long natFlowCount() {
        long flows = 0;
        for (ClientEntry client : clients.all()) {
            flows += client.nat == null ? 0 : client.nat.size();
        }
        return flows;
    }

    /** A buffer from the pool, or null (counted). */
    public PooledBuffer acquire() {
        PooledBuffer b = pool.acquire();
        if (b == null) {
            queues.count(GatewayDropReason.POOL_EXHAUSTED);
        }
        return b;
    }

    /** Queues {@code buffer}'s first {@code lengthBytes} as a packet for the TUN device. */
    public void toDevice(PooledBuffer buffer, int lengthBytes) {
        buffer.buffer().limit(lengthBytes).position(0);
        queues.offerPacket(buffer);
    }

    /** Encrypts {@code src} for the client into {@code out} and queues it, or drops and counts ({@link ClientLinks}). */
    public void sendToClient(ClientEntry client, ByteBuffer src, PooledBuffer out, long nowNs) {
        links.send(client, src, out, nowNs);
    }

    /**
     * Answers the client's packet {@code invoking} (which lives in {@code holder}) with an ICMP error from
     * the destination it tried, as a router would; {@code holder} carries the encrypted error, or goes back
     * to the pool when no error may be sent about this packet.
     */
    public void answerWithError(ClientEntry client, IpPacket invoking, IcmpError error, PooledBuffer holder,
                                long nowNs) {
        int n = IcmpWriter.writeError(invoking, error, config.mtuBytes(), scratch, 0, scratch.capacity());
        if (n == 0) {
            pool.release(holder);
            return;
        }
        scratch.limit(n).position(0);
        sendToClient(client, scratch, holder, nowNs);
        scratch.clear();
    }
}
