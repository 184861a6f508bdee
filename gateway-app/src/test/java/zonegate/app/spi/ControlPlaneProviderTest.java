package zonegate.app.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlPlaneProviderTest {
    @Test
    void serviceLoaderFindsTheStaticProviderByName() {
        assertThat(ControlPlaneProvider.named("static")).hasValueSatisfying(
                provider -> assertThat(provider.name()).isEqualTo("static"));
    }

    @Test
    void unknownProviderNameFindsNothing() {
        assertThat(ControlPlaneProvider.named("signalling-v0")).isEmpty();
    }

    @Test
    void staticProviderIsDeclaredInTheModuleDescriptor() {
        assertThat(ControlPlaneProvider.class.getModule().getDescriptor().provides())
                .anyMatch(p -> p.service().equals(ControlPlaneProvider.class.getName())
                        && p.providers().contains("zonegate.app.internal.controlplane.StaticControlPlaneProvider"));
    }
}
