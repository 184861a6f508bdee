package zonegate.wireguard.internal.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.tinylog.Logger;
import zonegate.wireguard.AeadChoice;

/**
 * Chooses the transport AEAD of a device. The native one ({@link NativeTransportAead}) is probed
 * once per process, on first use: libcrypto must load, fetch ChaCha20-Poly1305 and pass a self-test
 * (RFC 8439's vectors of section 2.8.2, sealed and opened, a tampered tag refused, and appendix A.5
 * opened; then transport packets each way against the JCE, which checks the nonce layout). Which
 * AEAD a choice gets is logged once per process and choice: at INFO, or at WARN when the native
 * AEAD was demanded and is unavailable (then it is an error, not a fallback).
 */
public final class TransportAeads {
    private static final AtomicInteger LOGGED = new AtomicInteger();

    private TransportAeads() {
    }

    /** Why the native AEAD is unusable in this process, or empty if it passed its self-test. */
    public static Optional<String> nativeUnavailableReason() {
        return Optional.ofNullable(Probe.FAILURE);
    }

    /**
     * What {@code choice} gets in this process: {@link AeadChoice#NATIVE} or {@link AeadChoice#JCE}.
     *
     * @throws IllegalStateException if {@code choice} is NATIVE and the native AEAD is unavailable
     */
    public static AeadChoice resolve(AeadChoice choice) {
        // A forced JCE never loads libcrypto.
        String failure = choice == AeadChoice.JCE ? null : Probe.FAILURE;
        AeadChoice resolved = decide(choice, failure);
        int bit = 1 << choice.ordinal();
        if ((LOGGED.getAndUpdate(bits -> bits | bit) & bit) == 0) {
            log(choice, resolved, failure);
        }
        if (resolved == null) {
            throw new IllegalStateException("the native AEAD is unavailable: " + failure);
        }
        return resolved;
    }

    /** A new AEAD for one device (one thread), as {@link #resolve} decides. */
    public static TransportAead create(AeadChoice choice) {
        return switch (resolve(choice)) {
            case NATIVE -> new NativeTransportAead();
            case JCE, AUTO -> new JceTransportAead();
        };
    }

    /**
     * The decision itself: NATIVE or JCE, or null when NATIVE is demanded and {@code failure} says
     * why it cannot be had.
     */
    static AeadChoice decide(AeadChoice choice, String failure) {
        return switch (choice) {
            case JCE -> AeadChoice.JCE;
            case AUTO -> failure == null ? AeadChoice.NATIVE : AeadChoice.JCE;
            case NATIVE -> failure == null ? AeadChoice.NATIVE : null;
        };
    }

    private static void log(AeadChoice choice, AeadChoice resolved, String failure) {
        if (resolved == null) {
            Logger.warn("transport AEAD: native ChaCha20-Poly1305 demanded but unavailable: {}", failure);
        } else if (resolved == AeadChoice.NATIVE) {
            Logger.info("transport AEAD: native ChaCha20-Poly1305 ({}, {}; self-test passed; choice {})",
                    LibCrypto.LIBRARY, LibCrypto.VERSION, choice.name().toLowerCase());
        } else if (choice == AeadChoice.JCE) {
            Logger.info("transport AEAD: JCE ChaCha20-Poly1305 (choice jce)");
        } else {
            Logger.info("transport AEAD: JCE ChaCha20-Poly1305 (native unavailable: {})", failure);
        }
    }

    /** The once-per-process probe: null if the native AEAD works, else why not. */
    private static final class Probe {
        static final String FAILURE = probe();

        private static String probe() {
            try {
                return selfTest(new NativeTransportAead());
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                Throwable cause = t instanceof ExceptionInInitializerError && t.getCause() != null ? t.getCause() : t;
                return cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
        }
    }

    /** Null if {@code aead} passes, else what failed. */
    static String selfTest(NativeTransportAead aead) {
        byte[] sealed = aead.sealWithAad(Rfc8439Vectors.sealKey(), Rfc8439Vectors.sealNonce(), Rfc8439Vectors.sealAad(),
                Rfc8439Vectors.sealPlaintext());
        if (!Arrays.equals(sealed, Rfc8439Vectors.sealSealed())) {
            return "self-test: RFC 8439 2.8.2 sealed to other bytes";
        }
        byte[] opened = aead.openWithAad(Rfc8439Vectors.sealKey(), Rfc8439Vectors.sealNonce(), Rfc8439Vectors.sealAad(),
                sealed);
        if (!Arrays.equals(opened, Rfc8439Vectors.sealPlaintext())) {
            return "self-test: RFC 8439 2.8.2 did not open";
        }
        sealed[sealed.length - 1] ^= 1;
        if (aead.openWithAad(Rfc8439Vectors.sealKey(), Rfc8439Vectors.sealNonce(), Rfc8439Vectors.sealAad(),
                sealed) != null) {
            return "self-test: a tampered tag was accepted";
        }
        opened = aead.openWithAad(Rfc8439Vectors.openKey(), Rfc8439Vectors.openNonce(), Rfc8439Vectors.openAad(),
                Rfc8439Vectors.openSealed());
        if (!Arrays.equals(opened, Rfc8439Vectors.openPlaintext())) {
            return "self-test: RFC 8439 A.5 did not open";
        }
        return againstJce(aead);
    }

    /**
     * Transport packets sealed natively and opened by the JCE, and back (nonce layout, padding): two
     * each way under one key, so that the second goes the way of an unchanged key.
     */
    private static String againstJce(NativeTransportAead aead) {
        ErasableKey key = new ErasableKey(Rfc8439Vectors.openKey(), 0);
        TransportAead jce = new JceTransportAead();
        byte[] plain = Arrays.copyOf(Rfc8439Vectors.sealPlaintext(), 100);
        for (int round = 0; round < 4; round++) {
            boolean nativeSeals = round % 2 == 0;
            long counter = 0x0102030405060708L + round;
            ByteBuffer wire = ByteBuffer.allocate(160);
            ByteBuffer out = ByteBuffer.allocate(160);
            (nativeSeals ? aead : jce).seal(key, counter, ByteBuffer.wrap(plain), 12, wire);
            int n = (nativeSeals ? jce : aead).open(key, counter, wire.flip(), out);
            if (n != 112 || !Arrays.equals(Arrays.copyOf(out.array(), 112), Arrays.copyOf(plain, 112))) {
                return "self-test: a transport packet sealed by the " + (nativeSeals ? "native AEAD" : "JCE")
                        + " did not open with the other";
            }
        }
        key.destroy();
        return null;
    }
}
