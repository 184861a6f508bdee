package zonegate.turn.server.internal;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import zonegate.stun.IntegrityCheck;
import zonegate.stun.StunCredentials;
import zonegate.stun.StunMessageView;
import zonegate.turn.server.RelayConfig;
import zonegate.turn.server.RelayCounter;
import zonegate.turn.server.RestCredentials;

/**
 * The long-term credential mechanism on the server side (RFC 8489 section 9.2.4) with stateless
 * nonces, static users and TURN REST usernames.
 *
 * <p>A nonce is {@code hex(expiryNs) hex(tag)} where the tag is a truncated HMAC-SHA1, under a key drawn
 * from the relay's generator at construction, over the expiry and the client's transport address: it
 * needs no table, so a flood of challenges costs no memory, and it is useless from another address.
 *
 * <p>Replays: a signed request is only as fresh as its nonce, so a captured request replayed from
 * another transport address gets 438, and so does one replayed after the nonce lifetime
 * ({@link RelayConfig#nonceLifetimeSeconds()}, 60 s by default). RFC 8489 section 9.2 leaves the
 * lifetime to the server and gives clients the 438 path to renew a nonce at the cost of one round
 * trip; coturn keeps its nonces 600 s by default. 60 s is short against a replay and long enough that a
 * client refreshing every 300 s (allocation at half its lifetime, permissions, channels) renews once
 * per refresh at most. Within the lifetime, a request replayed from the spoofed transport address of
 * its sender passes this check; the allocation then recognises the last 16 REFRESH, CREATE-PERMISSION
 * and CHANNEL-BIND requests it carried out and answers them again without effect ({@code
 * RecentRequests}). Not recognised: an ALLOCATE replayed within the lifetime after its allocation was
 * deleted, and a request older than the last 16.
 */
public final class Authenticator {
    /** What the check decided. */
    public sealed interface Outcome {
        /**
         * Authenticated: {@code account} is the quota key, {@code key} the long-term key,
         * {@code secondsLeft} the time until a TURN REST username expires ({@link Long#MAX_VALUE} for a
         * static user): no allocation may outlive it.
         */
        record Accepted(String username, String account, byte[] key, long secondsLeft) implements Outcome {
        }

        /** Refused with {@code code} (400, 401 or 438), counted as {@code counter}. */
        record Refused(int code, RelayCounter counter) implements Outcome {
        }
    }

    private static final int TAG_BYTES = 8;
    private static final HexFormat HEX = HexFormat.of();

    private final RelayConfig config;
    private final InstantSource clock;
    private final Mac nonceMac;
    private final Mac restMac;
    private final byte[] tag = new byte[20];

    /** An authenticator for {@code config}, its nonce key drawn from {@code random}. */
    public Authenticator(RelayConfig config, InstantSource clock, RandomGenerator random) {
        this.config = config;
        this.clock = clock;
        byte[] nonceKey = new byte[20];
        random.nextBytes(nonceKey);
        try {
            nonceMac = Mac.getInstance("HmacSHA1");
            nonceMac.init(new SecretKeySpec(nonceKey, "HmacSHA1"));
            restMac = Mac.getInstance("HmacSHA1");
            if (config.restSecret() != null) {
                restMac.init(new SecretKeySpec(config.restSecret(), "HmacSHA1"));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JDK", e);
        }
    }

    /** A fresh nonce for {@code client}, valid for the configured nonce lifetime from {@code nowNs}. */
    public String nonce(InetSocketAddress client, long nowNs) {
        long expiryNs = nowNs + config.nonceLifetimeSeconds() * 1_000_000_000L;
        return HEX.toHexDigits(expiryNs) + HEX.formatHex(tag(client, expiryNs), 0, TAG_BYTES);
    }

    /** Checks a request's USERNAME, REALM, NONCE and MESSAGE-INTEGRITY, in the RFC 8489 order. */
    public Outcome check(StunMessageView request, InetSocketAddress client, long nowNs) {
        if (!request.has(zonegate.stun.StunAttributeType.MESSAGE_INTEGRITY)) {
            return new Outcome.Refused(401, RelayCounter.CHALLENGED);
        }
        String username = request.username();
        String realm = request.realm();
        String nonce = request.nonce();
        if (username == null || realm == null || nonce == null) {
            return new Outcome.Refused(400, RelayCounter.BAD_REQUEST);
        }
        if (!nonceValid(nonce, client, nowNs)) {
            return new Outcome.Refused(438, RelayCounter.STALE_NONCE);
        }
        byte[] key = config.staticKeys().get(username);
        String account = username;
        long secondsLeft = Long.MAX_VALUE;
        if (key == null && config.restSecret() != null) {
            int colon = username.indexOf(':');
            String expiry = colon < 0 ? username : username.substring(0, colon);
            long expirySeconds = parseSeconds(expiry);
            if (expirySeconds < 0) {
                return new Outcome.Refused(401, RelayCounter.UNKNOWN_USER);
            }
            secondsLeft = expirySeconds - clock.instant().getEpochSecond();
            if (secondsLeft <= 0) {
                return new Outcome.Refused(401, RelayCounter.EXPIRED_USERNAME);
            }
            account = colon < 0 ? username : username.substring(colon + 1);
            key = StunCredentials.longTermKey(username, config.realm(), restPassword(username));
        }
        if (key == null) {
            return new Outcome.Refused(401, RelayCounter.UNKNOWN_USER);
        }
        if (request.verifyMessageIntegrity(key) != IntegrityCheck.VALID) {
            return new Outcome.Refused(401, RelayCounter.BAD_INTEGRITY);
        }
        return new Outcome.Accepted(username, account, key, secondsLeft);
    }

    /** The TURN REST password for {@code username}: base64(HMAC-SHA1(secret, username)). */
    String restPassword(String username) {
        return RestCredentials.password(restMac, username);
    }

    private boolean nonceValid(String nonce, InetSocketAddress client, long nowNs) {
        if (nonce.length() != 16 + 2 * TAG_BYTES) {
            return false;
        }
        long expiryNs;
        byte[] given;
        try {
            expiryNs = HexFormat.fromHexDigitsToLong(nonce, 0, 16);
            given = HEX.parseHex(nonce, 16, nonce.length());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = tag(client, expiryNs);
        boolean match = MessageDigest.isEqual(given, java.util.Arrays.copyOf(expected, TAG_BYTES));
        return match && expiryNs > nowNs;
    }

    private byte[] tag(InetSocketAddress client, long expiryNs) {
        for (int i = 0; i < 8; i++) {
            nonceMac.update((byte) (expiryNs >>> (56 - 8 * i)));
        }
        nonceMac.update(client.getAddress().getAddress());
        nonceMac.update((byte) (client.getPort() >>> 8));
        nonceMac.update((byte) client.getPort());
        try {
            nonceMac.doFinal(tag, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return tag;
    }

    private static long parseSeconds(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
