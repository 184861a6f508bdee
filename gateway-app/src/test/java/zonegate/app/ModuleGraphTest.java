package zonegate.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module graph has exactly the arrows of DESIGN.md section 1:
 * {@code app -> {portal, controlplane, shell, tunnel}}, {@code tunnel -> {node, filter, nat64}},
 * {@code node -> {wireguard, ice, turn} -> {stun, packet}}, {@code shell -> packet}, {@code portal -> {controlplane,
 * turn}}; only the shell knows JCTools, only the app knows picocli and tinylog's implementation, only it and the
 * control plane and the portal know Jackson, and only the portal knows Helidon.
 */
class ModuleGraphTest {
    private static final Set<String> LOWER_EXTERNALS =
            Set.of("java.base", "org.tinylog.api", "org.bouncycastle.provider");

    private static final Map<String, Set<String>> ALLOWED_ZONEGATE_REQUIRES = Map.ofEntries(
            Map.entry("zonegate.packet", Set.of()),
            Map.entry("zonegate.stun", Set.of("zonegate.packet")),
            Map.entry("zonegate.wireguard", Set.of("zonegate.stun", "zonegate.packet")),
            Map.entry("zonegate.ice", Set.of("zonegate.stun", "zonegate.packet")),
            Map.entry("zonegate.turn", Set.of("zonegate.stun", "zonegate.packet")),
            Map.entry("zonegate.filter", Set.of("zonegate.stun", "zonegate.packet")),
            Map.entry("zonegate.nat64", Set.of("zonegate.stun", "zonegate.packet")),
            Map.entry("zonegate.node", Set.of("zonegate.wireguard", "zonegate.ice", "zonegate.turn", "zonegate.stun",
                    "zonegate.packet")),
            Map.entry("zonegate.tunnel", Set.of("zonegate.node", "zonegate.wireguard", "zonegate.ice", "zonegate.turn",
                    "zonegate.filter", "zonegate.nat64", "zonegate.stun", "zonegate.packet")),
            Map.entry("zonegate.controlplane", Set.of()),
            Map.entry("zonegate.shell", Set.of("zonegate.packet")),
            Map.entry("zonegate.portal", Set.of("zonegate.controlplane", "zonegate.turn")));

    /**
     * Libraries a module may use besides {@link #LOWER_EXTERNALS}: Jackson belongs to the control plane (its
     * WebSocket is its own, not the JDK's HTTP client), JCTools to the shell, Helidon to the portal.
     */
    private static final Map<String, Set<String>> MODULE_EXTERNALS = Map.of(
            "zonegate.controlplane", Set.of("tools.jackson.databind"),
            "zonegate.shell", Set.of("org.jctools.core"),
            "zonegate.portal", Set.of("io.helidon.webserver", "io.helidon.webserver.websocket", "io.helidon.websocket",
                    "io.helidon.http", "io.helidon.common.buffers", "io.helidon.common.socket", "io.helidon.common.tls",
                    "io.helidon.common.pki", "io.helidon.common.configurable"));

    @Test
    void everyModuleOfTheDesignIsResolved() {
        assertThat(zonegateModules().keySet())
                .containsExactlyInAnyOrder("zonegate.packet", "zonegate.stun", "zonegate.wireguard",
                        "zonegate.ice", "zonegate.turn", "zonegate.node", "zonegate.filter", "zonegate.nat64",
                        "zonegate.tunnel", "zonegate.controlplane", "zonegate.shell", "zonegate.portal",
                        "zonegate.app");
    }

    @Test
    void modulesBelowTheShellRequireOnlyTheModulesBeneathThem() {
        zonegateModules().forEach((name, descriptor) -> {
            if (name.equals("zonegate.app")) {
                return;
            }
            Set<String> requires = requiredNames(descriptor);
            Set<String> allowed = ALLOWED_ZONEGATE_REQUIRES.get(name);
            assertThat(allowed).as("module %s is not in the design", name).isNotNull();
            for (String required : requires) {
                boolean permitted = allowed.contains(required) || LOWER_EXTERNALS.contains(required)
                        || MODULE_EXTERNALS.getOrDefault(name, Set.of()).contains(required);
                assertThat(permitted)
                        .as("%s requires %s, which DESIGN.md does not allow below the shell", name, required)
                        .isTrue();
            }
        });
    }

    @Test
    void noModuleUsesJnaOrTheIncubatorVectorApi() {
        zonegateModules().forEach((name, descriptor) -> assertThat(requiredNames(descriptor))
                .as(name)
                .doesNotContain("com.sun.jna", "jdk.incubator.vector"));
    }

    @Test
    void implementationPackagesAreNotExportedToEveryone() {
        zonegateModules().forEach((name, descriptor) -> descriptor.exports().stream()
                .filter(export -> !export.isQualified())
                .forEach(export -> assertThat(export.source())
                        .as("%s exports an implementation package", name)
                        .doesNotContain(".internal")));
    }

    private static Map<String, ModuleDescriptor> zonegateModules() {
        ModuleLayer layer = ModuleGraphTest.class.getModule().getLayer();
        assertThat(layer).as("tests must run on the module path").isNotNull();
        return layer.modules().stream()
                .map(Module::getDescriptor)
                .filter(d -> d.name().startsWith("zonegate."))
                .collect(Collectors.toMap(ModuleDescriptor::name, d -> d, (a, b) -> a, TreeMap::new));
    }

    private static Set<String> requiredNames(ModuleDescriptor descriptor) {
        return descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());
    }
}
