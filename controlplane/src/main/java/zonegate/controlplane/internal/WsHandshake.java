package zonegate.controlplane.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** The client's side of the opening handshake (RFC 6455 section 4.1), pure: the request and the answer's checks. */
public final class WsHandshake {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WsHandshake() {
    }

    /** A fresh {@code Sec-WebSocket-Key}: 16 random bytes in base64. */
    public static String key(RandomGenerator random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The {@code Sec-WebSocket-Accept} a server must answer {@code key} with. */
    public static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required algorithm", e);
        }
    }

    /** The default port of a {@code ws} or {@code wss} URI. */
    public static int defaultPort(URI uri) {
        return "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * The upgrade request for {@code uri} (path and query as they are encoded in it).
     *
     * @throws IllegalArgumentException if {@code token} has a control character (it could end the header)
     */
    public static byte[] request(URI uri, String key, String token) {
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < 0x20 || token.charAt(i) == 0x7f) {
                throw new IllegalArgumentException("the token has a control character");
            }
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        int port = uri.getPort();
        String host = port < 0 || port == defaultPort(uri) ? uri.getHost() : uri.getHost() + ":" + port;
        String request = "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "X-Authorization: Bearer " + token + "\r\n"
                + "\r\n";
        return request.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Why the response head {@code head} (status line and headers, CRLF-separated) does not accept the
     * upgrade of {@code key}, or null when it does.
     */
    public static String refusal(String head, String key) {
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) {
            return "upgrade refused: not an HTTP response";
        }
        if (!status[1].equals("101")) {
            return "upgrade refused: HTTP " + status[1];
        }
        boolean upgrade = false;
        boolean connection = false;
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "upgrade" -> upgrade = value.equalsIgnoreCase("websocket");
                case "connection" -> connection = hasToken(value, "upgrade");
                case "sec-websocket-accept" -> accept = value;
                case "sec-websocket-extensions", "sec-websocket-protocol" -> {
                    return "upgrade refused: the server chose " + lines[i].substring(0, colon).trim()
                            + " we did not offer";
                }
                default -> {
                }
            }
        }
        if (!upgrade) {
            return "upgrade refused: no Upgrade: websocket header";
        }
        if (!connection) {
            return "upgrade refused: no Connection: Upgrade header";
        }
        if (!accept(key).equals(accept)) {
            return "upgrade refused: " + (accept == null ? "no" : "a wrong") + " Sec-WebSocket-Accept";
        }
        return null;
    }

    private static boolean hasToken(String list, String token) {
        for (String item : list.split(",")) {
            if (item.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }
}
