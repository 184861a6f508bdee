package zonegate.tunnel.dns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads an upstream resolver's response to a query we sent (built by {@link DnsQueryWriter}): checks that
 * it answers that query (id, exactly one question with our name, type and class IN: a datagram that does
 * not is stale or spoofed), then extracts the rcode, TC and the A and AAAA addresses of the name.
 *
 * <p>CNAMEs: a recursive resolver answers {@code www.example.com CNAME cdn.example.net} followed by the
 * target's addresses; the parser follows such chains within the answer section, at most
 * {@value #MAX_CNAME_HOPS} hops (loops end the chain), and keeps only addresses owned by a name on the
 * chain, so records for unrelated names in the answer section cannot inject addresses. Records of other
 * types and classes are skipped; authority and additional sections are not read.
 *
 * <p>Truncation: with TC set, a record that runs past the end ends the answer section (the records
 * before it are kept and {@link DnsAnswers#truncated()} tells the caller to retry over TCP); without TC
 * it is a {@link DnsResponseRejection#TRUNCATED} rejection. Names follow {@link DnsParser}'s rules
 * (backward pointers only, at most 16 per name, 255 bytes). Never throws on bad bytes; thread-safe.
 */
public final class DnsAnswersParser {
    /** Addresses kept per response; the gateway uses 4 per family, so more would only cost memory. */
    public static final int MAX_ADDRESSES = 64;
    /** CNAME hops followed; recursive resolvers stop well before this (BIND: 16 in total, 8 typical). */
    public static final int MAX_CNAME_HOPS = 8;
    static final int TYPE_CNAME = 5;
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_TC = 0x0200;

    private DnsAnswersParser() {
    }

    /**
     * Parses the response of {@code length} bytes at absolute {@code offset} of {@code buffer}.
     *
     * @param expectedId the id our query carried
     * @param expectedName the name we asked (case-insensitive; a trailing dot is ignored)
     * @param expectedType the type we asked ({@link DnsQuery#TYPE_A}, {@link DnsQuery#TYPE_AAAA}, ...)
     */
    public static DnsAnswersResult parse(ByteBuffer buffer, int offset, int length, int expectedId,
                                         String expectedName, int expectedType) {
        return parse(buffer, offset, length, expectedId, expectedName, expectedType, DnsQuery.CLASS_IN);
    }

    /**
     * As {@link #parse(ByteBuffer, int, int, int, String, int)} for a question of class {@code expectedClass}
     * (a relayed client query may ask CH or HS; only IN records are ever read as addresses).
     */
    public static DnsAnswersResult parse(ByteBuffer buffer, int offset, int length, int expectedId,
                                         String expectedName, int expectedType, int expectedClass) {
        if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
            return rejected(DnsResponseRejection.TRUNCATED);
        }
        if (length < DnsParser.HEADER_BYTES) {
            return rejected(DnsResponseRejection.TOO_SHORT);
        }
        DnsCursor c = new DnsCursor(buffer, offset, offset + length);
        int id = c.u16(offset);
        int flags = c.u16(offset + 2);
        if (id != (expectedId & 0xFFFF)) {
            return rejected(DnsResponseRejection.ID_MISMATCH);
        }
        if ((flags & FLAG_QR) == 0) {
            return rejected(DnsResponseRejection.NOT_A_RESPONSE);
        }
        if ((flags >>> 11 & 0xF) != 0) {
            return rejected(DnsResponseRejection.UNEXPECTED_OPCODE);
        }
        if (c.u16(offset + 4) != 1) {
            return rejected(DnsResponseRejection.QUESTION_MISMATCH);
        }
        int answerCount = c.u16(offset + 6);
        String question = normalize(expectedName);
        StringBuilder name = new StringBuilder();
        int at = c.name(offset + DnsParser.HEADER_BYTES, name);
        if (at < 0) {
            return rejected(DnsResponseRejection.ofCursorCode(at));
        }
        if (at + 4 > c.end) {
            return rejected(DnsResponseRejection.TRUNCATED);
        }
        if (!lower(name).equals(question) || c.u16(at) != expectedType || c.u16(at + 2) != expectedClass) {
            return rejected(DnsResponseRejection.QUESTION_MISMATCH);
        }
        boolean truncated = (flags & FLAG_TC) != 0;
        List<Answer> answers = new ArrayList<>();
        DnsResponseRejection problem = readAnswers(c, at + 4, answerCount, truncated, answers);
        if (problem != null) {
            return rejected(problem);
        }
        return follow(c, answers, question, new DnsAnswers(id, flags & 0xF, truncated, List.of(), 0));
    }

    /** Reads the answer section into {@code out}; returns the problem, or null. */
    private static DnsResponseRejection readAnswers(DnsCursor c, int at, int count, boolean truncated,
                                                    List<Answer> out) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < count; i++) {
            name.setLength(0);
            int pos = c.name(at, name);
            if (pos < 0) {
                boolean cut = DnsResponseRejection.ofCursorCode(pos) == DnsResponseRejection.TRUNCATED;
                return truncated && cut ? null : DnsResponseRejection.ofCursorCode(pos);
            }
            if (pos + 10 > c.end || pos + 10 + c.u16(pos + 8) > c.end) {
                return truncated ? null : DnsResponseRejection.TRUNCATED;
            }
            int type = c.u16(pos);
            int recordClass = c.u16(pos + 2);
            long ttl = c.u32(pos + 4);
            int rdLength = c.u16(pos + 8);
            int rdata = pos + 10;
            at = rdata + rdLength;
            if (recordClass != DnsQuery.CLASS_IN) {
                continue;
            }
            switch (type) {
                case DnsQuery.TYPE_A, DnsQuery.TYPE_AAAA -> {
                    if (rdLength != (type == DnsQuery.TYPE_A ? 4 : 16)) {
                        return DnsResponseRejection.BAD_RDATA;
                    }
                    out.add(new Answer(lower(name), type, ttl, rdata, null));
                }
                case TYPE_CNAME -> {
                    StringBuilder target = new StringBuilder();
                    int end = c.name(rdata, target);
                    if (end != at) {
                        return end < 0 && DnsResponseRejection.ofCursorCode(end) != DnsResponseRejection.TRUNCATED
                                ? DnsResponseRejection.ofCursorCode(end) : DnsResponseRejection.BAD_RDATA;
                    }
                    out.add(new Answer(lower(name), type, ttl, rdata, lower(target)));
                }
                default -> {
                    // other types (RRSIG, DNAME's synthesised CNAME comes as a CNAME anyway) are not ours
                }
            }
        }
        return null;
    }

    /** Follows the CNAME chain from the question and collects the addresses owned by names on it. */
    private static DnsAnswersResult follow(DnsCursor c, List<Answer> answers, String question, DnsAnswers header) {
        Set<String> chain = new HashSet<>();
        chain.add(question);
        String current = question;
        long minTtl = Long.MAX_VALUE;
        for (int hop = 0; hop < MAX_CNAME_HOPS; hop++) {
            Answer alias = null;
            for (Answer a : answers) {
                if (a.target != null && a.owner.equals(current)) {
                    alias = a;
                    break;
                }
            }
            if (alias == null || !chain.add(alias.target)) {
                break;
            }
            minTtl = Math.min(minTtl, alias.ttlSeconds());
            current = alias.target;
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (Answer a : answers) {
            if (a.target == null && chain.contains(a.owner) && addresses.size() < MAX_ADDRESSES) {
                addresses.add(a.address(c));
                minTtl = Math.min(minTtl, a.ttlSeconds());
            }
        }
        return new DnsAnswersResult.Answers(new DnsAnswers(header.id(), header.rcode(), header.truncated(),
                addresses, addresses.isEmpty() ? 0 : minTtl));
    }

    private static String normalize(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }

    private static String lower(CharSequence name) {
        return name.toString().toLowerCase(Locale.ROOT);
    }

    private static DnsAnswersResult rejected(DnsResponseRejection reason) {
        return new DnsAnswersResult.Rejected(reason);
    }

    /** One A, AAAA (target null) or CNAME record of the answer section. */
    private record Answer(String owner, int type, long ttl, int rdata, String target) {
        long ttlSeconds() {
            return ttl > Integer.MAX_VALUE ? 0 : ttl;
        }

        InetAddress address(DnsCursor c) {
            byte[] raw = new byte[type == DnsQuery.TYPE_A ? 4 : 16];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = (byte) c.u8(rdata + i);
            }
            try {
                // Inet6Address.getByAddress keeps ::ffff:a.b.c.d an IPv6 address (InetAddress's would not)
                return raw.length == 4 ? InetAddress.getByAddress(raw) : Inet6Address.getByAddress(null, raw, -1);
            } catch (UnknownHostException e) {
                throw new AssertionError("lengths 4 and 16 are always valid", e);
            }
        }
    }
}
