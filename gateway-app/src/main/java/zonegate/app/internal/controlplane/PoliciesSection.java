package zonegate.app.internal.controlplane;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import zonegate.app.internal.controlplane.ConfigNode.ConfigNumber;
import zonegate.app.internal.controlplane.ConfigNode.ConfigString;
import zonegate.app.internal.controlplane.ConfigNode.Position;
import zonegate.app.spi.AccessPolicy;
import zonegate.filter.Authorization;
import zonegate.filter.ClientId;
import zonegate.filter.ResourceId;

/**
 * Reads the {@code "policies"} array: {@code {"client": "alice", "resource": "web", "expiresAt":
 * "2027-01-01T00:00:00Z"}}. An expiry is an ISO-8601 instant (with {@code Z} or an offset) or Unix
 * seconds. A policy that has already expired is accepted (it never matches) and noted.
 */
final class PoliciesSection {
    private static final Set<String> FIELDS = Set.of("client", "resource", "expiresAt", "description");

    private PoliciesSection() {}

    static List<AccessPolicy> read(List<ConfigNode> elements, ClientsSection.Read clients,
            ResourcesSection.Read resources, LoadContext context, Problems problems) {
        List<AccessPolicy> policies = new ArrayList<>();
        Map<String, Position> pairs = new HashMap<>();
        long nowUnixSeconds = context.clock().instant().getEpochSecond();
        for (int i = 0; i < elements.size(); i++) {
            String path = "policies[" + i + "]";
            Optional<Fields> parsed = Fields.of(elements.get(i), path, problems, FIELDS);
            if (parsed.isEmpty()) {
                continue;
            }
            Fields fields = parsed.get();
            fields.string("description");
            Optional<String> client = fields.requiredString("client")
                    .filter(name -> known(fields, "client", name, clients.declaredNames()));
            Optional<String> resource = fields.requiredString("resource")
                    .filter(id -> known(fields, "resource", id, resources.declaredIds()));
            Optional<Long> expiry = fields.node("expiresAt").map(node -> expiry(node, fields))
                    .orElse(Optional.of(Authorization.NEVER));
            if (client.isEmpty() || resource.isEmpty() || expiry.isEmpty()) {
                continue;
            }
            Position first = pairs.putIfAbsent(client.get() + "\u0000" + resource.get(), fields.at());
            if (first != null) {
                problems.error(fields.at(), path, "a second policy for client \"" + client.get() + "\" and resource \""
                        + resource.get() + "\" (first at line " + first.line() + ")");
                continue;
            }
            boolean clientValid = clients.clients().stream().anyMatch(c -> c.id().value().equals(client.get()));
            boolean resourceValid = resources.resources().stream().anyMatch(r -> r.id().value().equals(resource.get()));
            if (!clientValid || !resourceValid) {
                continue;
            }
            AccessPolicy policy = new AccessPolicy(ClientId.of(client.get()), ResourceId.of(resource.get()),
                    expiry.get());
            if (policy.isExpiredAt(nowUnixSeconds)) {
                problems.note(fields.positionOf("expiresAt"), fields.pathOf("expiresAt"), "expired at "
                        + Instant.ofEpochSecond(expiry.get()) + "; the policy never matches (cid=" + client.get()
                        + " rid=" + resource.get() + ")");
            }
            policies.add(policy);
        }
        return policies;
    }

    private static boolean known(Fields fields, String name, String value, Set<String> declared) {
        if (!declared.contains(value)) {
            fields.problems().error(fields.positionOf(name), fields.pathOf(name),
                    "unknown " + name + " \"" + value + "\"");
            return false;
        }
        return true;
    }

    private static Optional<Long> expiry(ConfigNode node, Fields fields) {
        String path = fields.pathOf("expiresAt");
        return switch (node) {
            case ConfigNumber number -> fields.asInteger(number, path, 0, Instant.MAX.getEpochSecond());
            case ConfigString string -> {
                try {
                    yield Optional.of(OffsetDateTime.parse(string.value()).toInstant().getEpochSecond());
                } catch (DateTimeParseException e) {
                    fields.problems().error(node.at(), path, "\"" + string.value() + "\" is not an ISO-8601 instant "
                            + "such as \"2027-01-31T18:00:00Z\" (or give Unix seconds as a number)");
                    yield Optional.empty();
                }
            }
            case ConfigNode.ConfigObject _, ConfigNode.ConfigArray _, ConfigNode.ConfigBoolean _, ConfigNode.ConfigNull _ -> {
                fields.problems().error(node.at(), path, "expected an ISO-8601 instant or Unix seconds, found "
                        + ConfigNode.describe(node));
                yield Optional.empty();
            }
        };
    }
}
