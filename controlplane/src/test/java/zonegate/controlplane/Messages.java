package zonegate.controlplane;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Random messages of every kind, and the directions each may travel in, for the codec's tests. */
final class Messages {
    private Messages() {
    }

    static List<Direction> directionsOf(PortalMessage m) {
        List<Direction> out = new ArrayList<>();
        if (m instanceof PortalMessage.ToGateway) {
            out.add(Direction.TO_GATEWAY);
        }
        if (m instanceof PortalMessage.FromGateway) {
            out.add(Direction.FROM_GATEWAY);
        }
        if (m instanceof PortalMessage.ToClient) {
            out.add(Direction.TO_CLIENT);
        }
        if (m instanceof PortalMessage.FromClient) {
            out.add(Direction.FROM_CLIENT);
        }
        if (m instanceof PortalMessage.ToRelay) {
            out.add(Direction.TO_RELAY);
        }
        if (m instanceof PortalMessage.FromRelay) {
            out.add(Direction.FROM_RELAY);
        }
        return out;
    }

    /** One of every kind of message, with random contents. */
    static List<PortalMessage> everyKind(RandomGenerator r) {
        return List.of(new PortalMessage.Join(), new PortalMessage.Heartbeat(),
                new PortalMessage.Reply(r.nextBoolean(), r.nextBoolean() ? null : text(r)),
                new PortalMessage.GatewayInit(iface(r), relays(r), authorizations(r)),
                new PortalMessage.CreateAuthorization(resource(r), client(r), ice(r), ice(r), optionalLong(r)),
                new PortalMessage.IceCandidates(text(r), texts(r)),
                new PortalMessage.InvalidateIceCandidates(text(r), texts(r)),
                new PortalMessage.RejectAccess(text(r), text(r)), new PortalMessage.ResourceUpdated(resource(r)),
                new PortalMessage.RelaysPresence(texts(r), relays(r)),
                new PortalMessage.BroadcastIceCandidates(texts(r), texts(r)),
                new PortalMessage.BroadcastInvalidatedIceCandidates(texts(r), texts(r)),
                new PortalMessage.AuthorizationCreated(), new PortalMessage.NoRelays(),
                new PortalMessage.ClientInit(iface(r), List.of(resource(r), resource(r)), relays(r)),
                new PortalMessage.ResourceCreatedOrUpdated(resource(r)), new PortalMessage.ResourceDeleted(text(r)),
                new PortalMessage.AccessGranted(text(r), text(r), text(r), text(r), text(r), text(r),
                        r.nextBoolean() ? null : text(r), ice(r), ice(r)),
                new PortalMessage.AuthorizationCreationFailed(text(r), text(r)),
                new PortalMessage.GatewayIceCandidates(text(r), texts(r)),
                new PortalMessage.InvalidateGatewayIceCandidates(text(r), texts(r)),
                new PortalMessage.RequestAuthorization(text(r), texts(r)),
                new PortalMessage.NewGatewayIceCandidates(texts(r), texts(r)),
                new PortalMessage.InvalidatedGatewayIceCandidates(texts(r), texts(r)),
                new PortalMessage.StampSecret(text(r)), new PortalMessage.RelayInit());
    }

    static Wire.Resource resource(RandomGenerator r) {
        String type = List.of("cidr", "dns", "internet").get(r.nextInt(3));
        List<Wire.Filter> filters = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            String protocol = List.of("tcp", "udp", "icmp").get(r.nextInt(3));
            int start = r.nextInt(65_536);
            filters.add(protocol.equals("icmp") ? new Wire.Filter("icmp", 0, 0)
                    : new Wire.Filter(protocol, start, start + r.nextInt(65_536 - start)));
        }
        return new Wire.Resource(type, text(r), text(r), type.equals("internet") && r.nextBoolean() ? null : text(r),
                r.nextBoolean() ? null : text(r),
                type.equals("dns") && r.nextBoolean() ? List.of("dual", "ipv4_only", "ipv6_only").get(r.nextInt(3)) : null,
                filters);
    }

    private static Wire.Interface iface(RandomGenerator r) {
        return new Wire.Interface(text(r), text(r), texts(r));
    }

    private static List<Wire.Relay> relays(RandomGenerator r) {
        List<Wire.Relay> out = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            out.add(new Wire.Relay(text(r), text(r), text(r), text(r), r.nextLong(0, 1L << 40)));
        }
        return out;
    }

    private static List<Wire.Authorization> authorizations(RandomGenerator r) {
        List<Wire.Authorization> out = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            out.add(new Wire.Authorization(text(r), text(r), optionalLong(r)));
        }
        return out;
    }

    private static Wire.Client client(RandomGenerator r) {
        return new Wire.Client(text(r), text(r), r.nextBoolean() ? null : text(r), text(r), text(r));
    }

    private static Wire.IceCredentials ice(RandomGenerator r) {
        return new Wire.IceCredentials(text(r), text(r));
    }

    private static Long optionalLong(RandomGenerator r) {
        return r.nextBoolean() ? null : r.nextLong(0, 1L << 40);
    }

    private static List<String> texts(RandomGenerator r) {
        List<String> out = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            out.add(text(r));
        }
        return out;
    }

    /** A string with letters, digits, punctuation, escapes and non-ASCII. */
    static String text(RandomGenerator r) {
        String alphabet = "abcXYZ019 .:-_/\"\\\n\t{}[]é€\u0001";
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(12); i >= 0; i--) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
