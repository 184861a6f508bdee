package zonegate.node;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import zonegate.node.internal.FlatJson;
import zonegate.packet.IpText;

/**
 * The codec of peer-to-peer control messages. They ride inside the WireGuard tunnel as IPv6 packets
 * that no host would send: source and destination {@code ::}, next header 0xFF (reserved), hop limit 0.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------+---------------+---------------------------------------+
 * |   6   |  class 0      |            flow label 0               |
 * +-------+-------+-------+-------+---------------+---------------+
 * |     payload length            |  next hdr 255 |  hop limit 0  |
 * +-------------------------------+---------------+---------------+
 * |                 source address ::  (16 bytes)                 |
 * |              destination address ::  (16 bytes)               |
 * +---------------+-----------------------------------------------+
 * |     type      |                 7 zero bytes                  |
 * +---------------+-----------------------------------------------+
 * |   body: JSON for AssignedIps (0) and DomainStatus (1), empty for Goodbye (2)
 * +---------------------------------------------------------------
 * </pre>
 *
 * A packet is a control packet when it is IPv6 with both addresses unspecified and next header 0xFF;
 * such packets never reach the TUN device. Parsing never throws; bodies are at most
 * {@value #MAX_BODY_BYTES} bytes and read by a strict parser for exactly these shapes.
 */
public final class P2pControl {
    /** Type of {@link P2pMessage.AssignedIps}. */
    public static final int TYPE_ASSIGNED_IPS = 0;
    /** Type of {@link P2pMessage.DomainStatus}. */
    public static final int TYPE_DOMAIN_STATUS = 1;
    /** Type of {@link P2pMessage.Goodbye}. */
    public static final int TYPE_GOODBYE = 2;
    /** The IPv6 header. */
    public static final int IPV6_HEADER_BYTES = 40;
    /** The control header after it: the type byte and 7 zero bytes. */
    public static final int HEADER_BYTES = 8;
    /** Longest body accepted (the reference's longest is about 400 bytes). */
    public static final int MAX_BODY_BYTES = 1024;
    /**
     * Longest body written: twice what is accepted, because a parsed message may write back longer (IPv6
     * addresses are written uncompressed).
     */
    public static final int MAX_WRITTEN_BODY_BYTES = 2 * MAX_BODY_BYTES;
    private static final int NEXT_HEADER = 0xFF;

    private P2pControl() {
    }

    /** Whether the {@code lengthBytes} bytes at absolute {@code offset} are a control packet. Allocates nothing. */
    public static boolean isControl(ByteBuffer packet, int offset, int lengthBytes) {
        if (lengthBytes < IPV6_HEADER_BYTES || (packet.get(offset) & 0xF0) != 0x60
                || (packet.get(offset + 6) & 0xFF) != NEXT_HEADER) {
            return false;
        }
        for (int i = 8; i < IPV6_HEADER_BYTES; i += 8) {
            if (packet.getLong(offset + i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code message} as a control packet at {@code out}'s position, advancing it.
     *
     * @return the packet's length, or -1 (nothing written) when it does not fit or the body is longer than
     *     {@link #MAX_WRITTEN_BODY_BYTES}
     */
    public static int write(P2pMessage message, ByteBuffer out) {
        byte[] body = switch (message) {
            case P2pMessage.AssignedIps a -> {
                List<String> ips = new ArrayList<>();
                a.proxyIps().forEach(ip -> ips.add(IpText.format(ip)));
                yield FlatJson.write(members(a.resource(), a.domain(), "proxy_ips", ips));
            }
            case P2pMessage.DomainStatus d ->
                    FlatJson.write(members(d.resource(), d.domain(), "status", d.active() ? "Active" : "Inactive"));
            case P2pMessage.Goodbye g -> new byte[0];
        };
        int length = IPV6_HEADER_BYTES + HEADER_BYTES + body.length;
        if (body.length > MAX_WRITTEN_BODY_BYTES || out.remaining() < length) {
            return -1;
        }
        out.putInt(0x6000_0000).putShort((short) (HEADER_BYTES + body.length)).put((byte) NEXT_HEADER).put((byte) 0);
        out.put(new byte[32]).put((byte) message.type()).put(new byte[HEADER_BYTES - 1]).put(body);
        return length;
    }

    /** Parses the {@code lengthBytes} bytes at absolute {@code offset} (the buffer's position is not changed). */
    public static P2pParseResult parse(ByteBuffer packet, int offset, int lengthBytes) {
        if (!isControl(packet, offset, lengthBytes)) {
            return new P2pParseResult.NotControl();
        }
        int payload = packet.getShort(offset + 4) & 0xFFFF;
        if (payload != lengthBytes - IPV6_HEADER_BYTES || payload < HEADER_BYTES) {
            return new P2pParseResult.Rejected("payload length " + payload + " in a " + lengthBytes + "-byte packet");
        }
        int header = offset + IPV6_HEADER_BYTES;
        for (int i = 1; i < HEADER_BYTES; i++) {
            if (packet.get(header + i) != 0) {
                return new P2pParseResult.Rejected("non-zero reserved header byte");
            }
        }
        int type = packet.get(header) & 0xFF;
        int bodyLength = payload - HEADER_BYTES;
        if (bodyLength > MAX_BODY_BYTES) {
            return new P2pParseResult.Rejected("body of " + bodyLength + " bytes");
        }
        byte[] body = new byte[bodyLength];
        packet.get(header + HEADER_BYTES, body);
        return switch (type) {
            case TYPE_GOODBYE -> bodyLength == 0 ? new P2pParseResult.Parsed(new P2pMessage.Goodbye())
                    : new P2pParseResult.Rejected("goodbye with a body");
            case TYPE_ASSIGNED_IPS, TYPE_DOMAIN_STATUS -> parseBody(type, body);
            default -> new P2pParseResult.UnknownType(type);
        };
    }

    private static Map<String, Object> members(UUID resource, String domain, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", resource.toString());
        m.put("domain", domain);
        m.put(key, value);
        return m;
    }

    private static P2pParseResult parseBody(int type, byte[] body) {
        StringBuilder why = new StringBuilder();
        Map<String, Object> json = FlatJson.parse(body, why);
        if (json == null) {
            return new P2pParseResult.Rejected("body: " + why);
        }
        if (!(json.get("resource") instanceof String resourceText) || !(json.get("domain") instanceof String domain)) {
            return new P2pParseResult.Rejected("body: resource and domain must be strings");
        }
        UUID resource = uuid(resourceText);
        if (resource == null) {
            return new P2pParseResult.Rejected("body: resource is not a UUID");
        }
        if (type == TYPE_DOMAIN_STATUS) {
            return json.get("status") instanceof String status
                    ? new P2pParseResult.Parsed(new P2pMessage.DomainStatus(resource, domain, status.equals("Active")))
                    : new P2pParseResult.Rejected("body: status must be a string");
        }
        if (!(json.get("proxy_ips") instanceof List<?> items) || items.size() > P2pMessage.AssignedIps.MAX_PROXY_IPS) {
            return new P2pParseResult.Rejected("body: proxy_ips must be a list of at most 8 addresses");
        }
        List<InetAddress> ips = new ArrayList<>(items.size());
        for (Object item : items) {
            InetAddress ip = ipLiteral((String) item);
            if (ip == null) {
                return new P2pParseResult.Rejected("body: not an IP address: " + item);
            }
            ips.add(ip);
        }
        return new P2pParseResult.Parsed(new P2pMessage.AssignedIps(resource, domain, ips));
    }

    // UUID.fromString is lenient about short groups; accept only the canonical 36-character form.
    private static UUID uuid(String text) {
        if (text.length() != 36 || !text.matches("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")) {
            return null;
        }
        return UUID.fromString(text);
    }

    private static InetAddress ipLiteral(String text) {
        // ofLiteral also takes the legacy IPv4 forms (a.b.c, a.b, a): only dotted quads and IPv6 here.
        boolean quad = text.matches("([0-9]{1,3}\\.){3}[0-9]{1,3}");
        if (text.length() > 45 || !(quad || (text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.]+")))) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }
}
