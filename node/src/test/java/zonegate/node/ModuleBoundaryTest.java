package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The node's own arrows of DESIGN.md section 1 ({@code node -> {wireguard, ice, turn} -> {stun, packet}}),
 * checked here because gateway-app's ModuleGraphTest sees the node only once tunnel requires it.
 */
class ModuleBoundaryTest {

    @Test
    void requiresOnlyTheProtocolModulesAndTheLoggingApi() {
        ModuleDescriptor descriptor = Node.class.getModule().getDescriptor();
        assertThat(descriptor).as("tests run on the module path").isNotNull();
        Set<String> requires = descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());

        assertThat(Set.of("java.base", "org.tinylog.api", "zonegate.wireguard", "zonegate.ice", "zonegate.turn",
                "zonegate.stun", "zonegate.packet")).containsAll(requires);
        assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("zonegate.node");
    }
}
