package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import zonegate.stun.IntegrityCheck;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunCredentials;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMessageWriter;
import zonegate.stun.StunMethod;
import zonegate.stun.StunParseResult;
import zonegate.stun.StunParser;

/** A relay on a manual clock with a seeded generator, and a client that builds requests with zonegate.stun. */
final class RelayHarness {
    static final String REALM = "zonegate.test";
    static final String SECRET = "rest-secret";
    static final long SEC = 1_000_000_000L;
    static final InetAddress RELAY_V4 = address("192.0.2.1");
    static final InetAddress RELAY_V6 = address("2001:db8::1");
    static final InetSocketAddress CLIENT = new InetSocketAddress(address("198.51.100.10"), 40000);
    static final InetSocketAddress PEER = new InetSocketAddress(address("203.0.113.5"), 5000);

    long nowNs = 1_000 * SEC;
    long unixSeconds = 1_700_000_000L;
    final RelayServer relay;
    final StunParser parser = new StunParser();
    final StunMessageWriter writer = new StunMessageWriter();
    final SplittableRandom random = new SplittableRandom(7);
    String username = "alice";
    byte[] key = StunCredentials.longTermKey("alice", REALM, "wonderland");
    String nonce;

    RelayHarness() {
        this(RelayConfig.of(REALM, RELAY_V4, null, 50000, 50009)
                .withStaticUsers(Map.of("alice", "wonderland", "bob", "builder"))
                .withRestSecret(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    RelayHarness(RelayConfig config) {
        InstantSource clock = () -> Instant.ofEpochSecond(unixSeconds);
        relay = new RelayServer(config, clock, new SplittableRandom(42), nowNs);
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    void user(String name, String password) {
        username = name;
        key = StunCredentials.longTermKey(name, REALM, password);
    }

    /** Switches to the TURN REST username {@code expiry:account} under {@link #SECRET}; returns the username. */
    String restUser(long expiryUnixSeconds, String account) {
        String name = expiryUnixSeconds + ":" + account;
        user(name, restPasswordOf(name));
        return name;
    }

    /** The REST password of {@code username} under {@link #SECRET}, computed here independently of the relay. */
    String restPasswordOf(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** Builds a message of {@code method}/{@code cls}; {@code attributes} adds the body; signs when {@code sign}. */
    byte[] message(StunMethod method, StunClass cls, boolean sign, Consumer<StunMessageWriter> attributes) {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        writer.begin(buffer, 0, 2048, method.type(cls), random.nextInt(), random.nextLong());
        attributes.accept(writer);
        if (sign) {
            writer.addText(StunAttributeType.USERNAME, username)
                    .addText(StunAttributeType.REALM, REALM)
                    .addText(StunAttributeType.NONCE, nonce)
                    .addMessageIntegrity(key);
        }
        writer.addFingerprint();
        return Arrays.copyOf(buffer.array(), writer.finish());
    }

    byte[] request(StunMethod method, Consumer<StunMessageWriter> attributes) {
        return message(method, StunClass.REQUEST, true, attributes);
    }

    void fromClient(InetSocketAddress client, byte[] bytes) {
        relay.handleClientDatagram(client, ByteBuffer.wrap(bytes), nowNs);
    }

    void fromPeer(int relayPort, InetSocketAddress peer, byte[] bytes) {
        relay.handlePeerDatagram(relayPort, peer, ByteBuffer.wrap(bytes), nowNs);
    }

    void advance(long seconds) {
        nowNs += seconds * SEC;
        if (nowNs >= relay.pollTimeout()) {
            relay.handleTimeout(nowNs);
        }
    }

    RelayTransmit transmit() {
        RelayTransmit t = relay.pollTransmit();
        assertThat(t).as("a datagram was sent").isNotNull();
        return t;
    }

    /** The next datagram, which must be a STUN message to {@code client}; checks MESSAGE-INTEGRITY if present. */
    StunMessageView response(InetSocketAddress client) {
        RelayTransmit t = transmit();
        assertThat(t.fromListenSocket()).isTrue();
        assertThat(t.destination()).isEqualTo(client);
        StunParseResult result = parser.parse(ByteBuffer.wrap(t.bytes()), 0, t.bytes().length);
        assertThat(result).isInstanceOf(StunParseResult.Parsed.class);
        StunMessageView m = ((StunParseResult.Parsed) result).message();
        if (m.has(StunAttributeType.MESSAGE_INTEGRITY)) {
            assertThat(m.verifyMessageIntegrity(key)).isEqualTo(IntegrityCheck.VALID);
        }
        return m;
    }

    /** Sends a request and returns the response, which must be signed with the user's key when it is not a challenge. */
    StunMessageView call(InetSocketAddress client, byte[] request) {
        fromClient(client, request);
        StunMessageView m = response(client);
        int code = m.errorCode();
        if (code != 401 && code != 438 && code != 400 && m.method() != StunMethod.BINDING) {
            assertThat(m.verifyMessageIntegrity(key)).as("signed response").isEqualTo(IntegrityCheck.VALID);
        }
        return m;
    }

    /** Gets a nonce through the 401 challenge. */
    void challenge(InetSocketAddress client) {
        StunMessageView m = call(client, message(StunMethod.ALLOCATE, StunClass.REQUEST, false,
                w -> w.addRequestedTransport(17)));
        assertThat(m.errorCode()).isEqualTo(401);
        assertThat(m.realm()).isEqualTo(REALM);
        nonce = m.nonce();
    }

    /** Challenge then allocate; returns the relay port. */
    int allocate(InetSocketAddress client) {
        return allocate(client, 1);
    }

    /** Challenge then allocate for STUN address family {@code family} (1 IPv4, 2 IPv6); returns the relay port. */
    int allocate(InetSocketAddress client, int family) {
        challenge(client);
        StunMessageView m = call(client, request(StunMethod.ALLOCATE,
                w -> w.addRequestedTransport(17).addRequestedAddressFamily(family)));
        assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        int port = m.xorRelayedAddress().getPort();
        assertThat(relay.pollEvent()).isInstanceOf(RelayEvent.AllocationCreated.class);
        return port;
    }

    StunMessageView permit(InetSocketAddress client, InetSocketAddress peer) {
        return call(client, request(StunMethod.CREATE_PERMISSION,
                w -> w.addAddress(StunAttributeType.XOR_PEER_ADDRESS, peer)));
    }

    StunMessageView bind(InetSocketAddress client, int channel, InetSocketAddress peer) {
        return call(client, request(StunMethod.CHANNEL_BIND,
                w -> w.addChannelNumber(channel).addAddress(StunAttributeType.XOR_PEER_ADDRESS, peer)));
    }
}
