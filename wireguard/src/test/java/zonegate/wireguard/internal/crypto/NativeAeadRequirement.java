package zonegate.wireguard.internal.crypto;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;

/**
 * Tests of the native AEAD skip when libcrypto is not usable here, unless {@code ZG_INTEROP=required}
 * (scripts/test as root, and CI), where that fails them: Debian's libssl3 is a test dependency.
 */
public final class NativeAeadRequirement {
    private NativeAeadRequirement() {
    }

    /** Skips (or, when required, fails) the calling test if the native AEAD is unavailable. */
    public static void assumeNativeAead() {
        Optional<String> reason = TransportAeads.nativeUnavailableReason();
        if (reason.isPresent() && "required".equals(System.getenv("ZG_INTEROP"))) {
            throw new AssertionError("ZG_INTEROP=required but the native AEAD is unavailable: " + reason.get());
        }
        assumeTrue(reason.isEmpty(), () -> "native AEAD unavailable: " + reason.orElseThrow());
    }
}
