package zonegate.example.embedded;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import zonegate.filter.Cidr;
import zonegate.wireguard.PublicKey;

/**
 * What the example is told on its command line, or else in its environment:
 *
 * <pre>
 * --client-key KEY        ZG_CLIENT_KEY          the client's WireGuard public key (base64), required
 * --resource CIDR         ZG_RESOURCE            what the client may reach at start, required
 * --then CIDR             ZG_THEN_RESOURCE       what it may reach after the change instead (default: nothing)
 * --change-after SECONDS  ZG_CHANGE_AFTER        when the change is applied (default 30; a "change" line on
 *                                                standard input applies it at once)
 * --print-every SECONDS   ZG_PRINT_EVERY         how often the counters are printed (default 5)
 * --interface NAME        ZG_INTERFACE           the TUN device (default zg0)
 * --port PORT             ZG_PORT                the WireGuard UDP port (default 51820)
 * --upstream-dns IP       ZG_UPSTREAM_DNS        the resolver the gateway asks for clients (default 9.9.9.9)
 * </pre>
 *
 * @param thenResource empty: the change revokes the first resource and grants nothing
 */
record ExampleOptions(PublicKey clientKey, Cidr resource, Optional<Cidr> thenResource, long changeAfterSeconds,
        long printEverySeconds, String interfaceName, int port, InetAddress upstreamDns) {

    /**
     * Parses {@code args} over {@code env}.
     *
     * @throws IllegalArgumentException naming the option and what is wrong with it
     */
    static ExampleOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --option VALUE pairs, got " + name);
            }
            given.put(name.substring(2), args[++i]);
        }
        Lookup lookup = new Lookup(given, env);
        return new ExampleOptions(
                lookup.required("client-key", "ZG_CLIENT_KEY", PublicKey::parse),
                lookup.required("resource", "ZG_RESOURCE", Cidr::parse),
                lookup.optional("then", "ZG_THEN_RESOURCE").map(text -> lookup.convert("then", text, Cidr::parse)),
                lookup.number("change-after", "ZG_CHANGE_AFTER", 30),
                lookup.number("print-every", "ZG_PRINT_EVERY", 5),
                lookup.optional("interface", "ZG_INTERFACE").orElse("zg0"),
                (int) lookup.number("port", "ZG_PORT", 51820),
                lookup.convert("upstream-dns", lookup.optional("upstream-dns", "ZG_UPSTREAM_DNS").orElse("9.9.9.9"),
                        InetAddress::ofLiteral));
    }

    private record Lookup(Map<String, String> args, Map<String, String> env) {
        Optional<String> optional(String option, String variable) {
            return Optional.ofNullable(args.getOrDefault(option, env.get(variable))).filter(v -> !v.isBlank());
        }

        <T> T required(String option, String variable, Function<String, T> parse) {
            String text = optional(option, variable).orElseThrow(() -> new IllegalArgumentException(
                    "--" + option + " (or " + variable + ") is required"));
            return convert(option, text, parse);
        }

        long number(String option, String variable, long defaultValue) {
            long value = optional(option, variable).map(text -> convert(option, text, Long::parseLong))
                    .orElse(defaultValue);
            if (value < 1) {
                throw new IllegalArgumentException("--" + option + " must be at least 1, got " + value);
            }
            return value;
        }

        <T> T convert(String option, String text, Function<String, T> parse) {
            try {
                return parse.apply(text.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + option + ": " + e.getMessage(), e);
            }
        }
    }
}
