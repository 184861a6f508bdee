package zonegate.app.internal.controlplane;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import zonegate.app.internal.controlplane.ConfigNode.Position;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.ResourceSpec;
import zonegate.filter.Cidr;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;

/** Reads the {@code "resources"} array. */
final class ResourcesSection {
    /** Ids appear in logs ({@code rid}); UUIDs and short names both fit. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    /** DNS-resource proxy addresses the clients hand out (DESIGN.md section 5); no CIDR resource may use them. */
    static final List<Cidr> DNS_PROXY_RANGES = List.of(Cidr.parse("100.96.0.0/11"),
            Cidr.parse("fd00:2021:1111:8000::/107"));

    private static final Set<String> FIELDS = Set.of("id", "name", "description", "type", "address", "filters");
    /** The portal's file names each resource's site too (read by the portal's own section). */
    private static final Set<String> PORTAL_FIELDS = Set.of("id", "name", "description", "type", "address", "filters",
            "site");

    /** The valid resources, and the ids of every resource the file declares (valid or not). */
    record Read(List<ResourceSpec> resources, Set<String> declaredIds) {
    }

    private final Problems problems;
    private final Optional<GatewaySettings> gateway;
    private final Set<String> allowed;
    private final Map<String, Position> ids = new HashMap<>();
    private Position internetAt;

    private ResourcesSection(Problems problems, Optional<GatewaySettings> gateway, Set<String> allowed) {
        this.problems = problems;
        this.gateway = gateway;
        this.allowed = allowed;
    }

    static Read read(List<ConfigNode> elements, Problems problems, Optional<GatewaySettings> gateway) {
        return read(elements, problems, gateway, false);
    }

    /** As {@link #read(List, Problems, Optional)}; {@code allowSite}: the portal's file, whose resources name a site. */
    static Read read(List<ConfigNode> elements, Problems problems, Optional<GatewaySettings> gateway, boolean allowSite) {
        ResourcesSection section = new ResourcesSection(problems, gateway, allowSite ? PORTAL_FIELDS : FIELDS);
        List<ResourceSpec> resources = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        for (int i = 0; i < elements.size(); i++) {
            section.resource(elements.get(i), "resources[" + i + "]", declared).ifPresent(resources::add);
        }
        return new Read(resources, declared);
    }

    private Optional<ResourceSpec> resource(ConfigNode node, String path, Set<String> declared) {
        Optional<Fields> parsed = Fields.of(node, path, problems, allowed);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = parsed.get();
        fields.string("description");
        Optional<String> rawId = fields.requiredString("id");
        rawId.ifPresent(declared::add);
        Optional<String> id = rawId.filter(text -> validId(fields, text));
        Optional<String> name = fields.has("name") ? fields.string("name") : id;
        Optional<List<Filter>> filters = fields.has("filters")
                ? fields.array("filters").flatMap(list -> FiltersSection.read(list, fields.pathOf("filters"), problems))
                : Optional.of(List.of());
        Optional<Resource> resource = fields.requiredString("type")
                .flatMap(type -> typed(fields, type, id.orElse("?")));
        if (id.isEmpty() || name.isEmpty() || filters.isEmpty() || resource.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ResourceSpec(resource.get(), name.get(), filters.get()));
    }

    private Optional<Resource> typed(Fields fields, String type, String id) {
        ResourceId rid = ResourceId.of(id);
        return switch (type) {
            case "cidr" -> fields.requiredString("address").flatMap(text -> cidr(fields, text))
                    .map(cidr -> new Resource.CidrRange(rid, cidr));
            case "dns" -> fields.requiredString("address").flatMap(text -> pattern(fields, text))
                    .filter(pattern -> !forPortal() || uuidId(fields, id))
                    .map(pattern -> new Resource.Dns(rid, pattern));
            case "internet" -> internet(fields).map(unused -> new Resource.Internet(rid));
            default -> {
                problems.error(fields.positionOf("type"), fields.pathOf("type"),
                        "unknown resource type \"" + type + "\" (expected cidr, dns or internet)");
                yield Optional.empty();
            }
        };
    }

    private boolean validId(Fields fields, String text) {
        Position at = fields.positionOf("id");
        if (!ID.matcher(text).matches()) {
            problems.error(at, fields.pathOf("id"), "\"" + text + "\" is not a valid resource id (1-128 letters, "
                    + "digits, '.', '_', ':', '@' or '-', starting with a letter or digit)");
            return false;
        }
        Position first = ids.putIfAbsent(text, at);
        if (first != null) {
            problems.error(at, fields.pathOf("id"), "duplicate resource id \"" + text + "\" (first at line "
                    + first.line() + ")");
            return false;
        }
        return true;
    }

    private Optional<Cidr> cidr(Fields fields, String text) {
        Position at = fields.positionOf("address");
        String path = fields.pathOf("address");
        Cidr cidr;
        try {
            cidr = AddressText.range(text);
        } catch (IllegalArgumentException e) {
            problems.error(at, path, e.getMessage());
            return Optional.empty();
        }
        String reason = PolicyRules.cidrResourceProblem(cidr, gateway);
        if (reason != null) {
            problems.error(at, path, reason);
            return Optional.empty();
        }
        return Optional.of(cidr);
    }

    private boolean forPortal() {
        return allowed == PORTAL_FIELDS;
    }

    /**
     * Through the portal a client names a DNS resource to its gateway in a peer-to-peer message that carries the id
     * as a UUID (the reference's wire format), so such an id must be one.
     */
    private boolean uuidId(Fields fields, String id) {
        try {
            if (java.util.UUID.fromString(id).toString().equalsIgnoreCase(id)) {
                return true;
            }
        } catch (IllegalArgumentException notUuid) {
            // reported below
        }
        problems.error(fields.positionOf("id"), fields.pathOf("id"), "a DNS resource served through the portal needs a "
                + "UUID id (e.g. " + java.util.UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "), not \"" + id + "\": clients name it to gateways by UUID");
        return false;
    }

    private Optional<DnsPattern> pattern(Fields fields, String text) {
        return switch (DnsPattern.validate(text)) {
            case DnsPattern.Validation.Valid(DnsPattern pattern) -> Optional.of(pattern);
            case DnsPattern.Validation.Invalid(String input, String message) -> {
                problems.error(fields.positionOf("address"), fields.pathOf("address"), message);
                yield Optional.empty();
            }
        };
    }

    private Optional<Boolean> internet(Fields fields) {
        if (fields.has("address")) {
            problems.error(fields.positionOf("address"), fields.pathOf("address"),
                    "the internet resource has no address");
            return Optional.empty();
        }
        if (internetAt != null) {
            problems.error(fields.positionOf("type"), fields.pathOf("type"),
                    "only one internet resource is allowed (first at line " + internetAt.line() + ")");
            return Optional.empty();
        }
        internetAt = fields.positionOf("type");
        return Optional.of(Boolean.TRUE);
    }
}
