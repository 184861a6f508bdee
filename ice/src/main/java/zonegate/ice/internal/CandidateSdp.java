package zonegate.ice.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;
import zonegate.ice.Candidate;
import zonegate.ice.CandidateParseResult;
import zonegate.ice.CandidateParseResult.Reason;
import zonegate.ice.CandidateType;
import zonegate.ice.IceCredentials;
import zonegate.packet.IpText;

/**
 * The SDP {@code candidate} attribute (RFC 8839 section 5.1):
 *
 * <pre>
 * candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP priority SP
 *                       connection-address SP port SP "typ" SP cand-type
 *                       [SP rel-addr] [SP rel-port] *(SP extension-att-name SP extension-att-value)
 * </pre>
 *
 * Parsing is token-based and never throws; printing writes IPv6 in RFC 5952 form without zone.
 */
public final class CandidateSdp {
    /** Longest line accepted; real candidate lines are under 200 characters. */
    public static final int MAX_LINE_CHARS = 1024;

    private CandidateSdp() {
    }

    /** Whether {@code s} is 1-32 ice-chars. */
    public static boolean isFoundation(String s) {
        if (s.isEmpty() || s.length() > 32) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!IceCredentials.isIceChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** See {@link Candidate#foundation}. */
    public static String foundation(CandidateType type, InetAddress baseIp, InetAddress server) {
        CRC32 crc = new CRC32();
        crc.update(type.sdpName().getBytes(StandardCharsets.US_ASCII));
        crc.update(0);
        crc.update(baseIp.getAddress());
        crc.update(0);
        if (server != null) {
            crc.update(server.getAddress());
        }
        crc.update("udp".getBytes(StandardCharsets.US_ASCII));
        return String.format("%08x", crc.getValue());
    }

    /** The SDP value without the {@code candidate:} prefix. */
    public static String print(Candidate c) {
        StringBuilder sb = new StringBuilder(96).append(c.foundation()).append(' ').append(c.component())
                .append(" udp ").append(c.priority()).append(' ').append(ip(c.address().getAddress()))
                .append(' ').append(c.address().getPort()).append(" typ ").append(c.type().sdpName());
        if (c.relatedAddress() != null) {
            sb.append(" raddr ").append(ip(c.relatedAddress().getAddress()))
                    .append(" rport ").append(c.relatedAddress().getPort());
        }
        return sb.toString();
    }

    /** See {@link Candidate#parse}. */
    public static CandidateParseResult parse(String line) {
        if (line == null || line.length() > MAX_LINE_CHARS) {
            return rejected(Reason.SYNTAX, "null or longer than " + MAX_LINE_CHARS + " characters");
        }
        String s = line.strip();
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (s.regionMatches(true, 0, "candidate:", 0, 10)) {
            s = s.substring(10);
        }
        String[] t = s.split("[ \\t]+");
        if (t.length < 8) {
            return rejected(Reason.SYNTAX, "fewer than 8 tokens");
        }
        if (!isFoundation(t[0])) {
            return rejected(Reason.BAD_FOUNDATION, t[0]);
        }
        if (!t[1].equals("1")) {
            return rejected(t[1].matches("[0-9]{1,3}") ? Reason.UNSUPPORTED_COMPONENT : Reason.SYNTAX, t[1]);
        }
        if (!t[2].equalsIgnoreCase("udp")) {
            return rejected(Reason.UNSUPPORTED_TRANSPORT, t[2]);
        }
        long priority = number(t[3], 10);
        if (priority < 1 || priority > 0xFFFF_FFFFL) {
            return rejected(Reason.BAD_PRIORITY, t[3]);
        }
        InetAddress ip = ipLiteral(t[4]);
        if (ip == null) {
            return rejected(Reason.BAD_ADDRESS, t[4]);
        }
        long port = number(t[5], 5);
        if (port < 1 || port > 65535) {
            return rejected(Reason.BAD_PORT, t[5]);
        }
        if (!t[6].equals("typ")) {
            return rejected(Reason.SYNTAX, "expected typ, found " + t[6]);
        }
        CandidateType type = CandidateType.ofSdpName(t[7]);
        if (type == null) {
            return rejected(Reason.UNKNOWN_TYPE, t[7]);
        }
        if ((t.length - 8) % 2 != 0) {
            return rejected(Reason.SYNTAX, "extension without a value: " + t[t.length - 1]);
        }
        String raddr = null;
        String rport = null;
        for (int i = 8; i < t.length; i += 2) {
            switch (t[i].toLowerCase(Locale.ROOT)) {
                case "raddr" -> raddr = t[i + 1];
                case "rport" -> rport = t[i + 1];
                default -> { } // RFC 8839: unknown extensions are ignored
            }
        }
        InetSocketAddress related = null;
        if (raddr != null || rport != null) {
            InetAddress relatedIp = raddr == null ? null : ipLiteral(raddr);
            long relatedPort = rport == null ? -1 : number(rport, 5);
            // Browsers hide related addresses as "0.0.0.0 rport 0"; port 0 is allowed here for that reason.
            if (relatedIp == null || relatedPort < 0 || relatedPort > 65535) {
                return rejected(Reason.BAD_RELATED_ADDRESS, raddr + " " + rport);
            }
            related = new InetSocketAddress(relatedIp, (int) relatedPort);
        }
        return new CandidateParseResult.Parsed(new Candidate(t[0], Candidate.COMPONENT, priority,
                new InetSocketAddress(ip, (int) port), type, related));
    }

    /** An IPv4 dotted quad or an IPv6 literal (no zone), without DNS; {@code null} otherwise. */
    static InetAddress ipLiteral(String s) {
        boolean v4 = s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = s.indexOf(':') >= 0 && s.length() <= 45 && s.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            InetAddress address = InetAddress.ofLiteral(s);
            return (v4 && address instanceof Inet4Address) || (v6 && address instanceof Inet6Address)
                    || (v6 && address instanceof Inet4Address) ? address : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** IPv4 dotted quad, or IPv6 in RFC 5952 form, no zone. */
    static String ip(InetAddress address) {
        return IpText.format(address);
    }

    private static long number(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static CandidateParseResult rejected(Reason reason, String detail) {
        return new CandidateParseResult.Rejected(reason, detail);
    }
}
