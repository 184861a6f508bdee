package zonegate.wireguard.internal.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The EVP calls of the system's libcrypto (OpenSSL 3, or 1.1) that {@link NativeTransportAead} needs,
 * as downcall handles in static finals (the JIT inlines {@code invokeExact} down to the call).
 *
 * <p>Loading happens in the class initialiser: {@code libcrypto.so.3}, else {@code libcrypto.so} (or
 * only the library the system property {@value #LIBRARY_PROPERTY} names), then the ChaCha20-Poly1305
 * cipher is fetched once for the process. If any of it fails the initialiser throws, and
 * {@link TransportAeads} reports why and keeps to the JCE. The library is never unloaded (global
 * arena); the fetched cipher lives as long as the process.
 *
 * <p>Pointers of the per-packet calls travel as {@code long} addresses (a pointer and a {@code long}
 * travel alike in the LP64 ABIs Linux runs on), so no call needs a {@link MemorySegment} wrapper.
 * Those calls are linked {@linkplain Linker.Option#critical critical}: they run for a microsecond or
 * two, never block and never call back, so they skip the thread-state transition.
 */
final class LibCrypto {
    /** {@code EVP_CTRL_AEAD_GET_TAG}. */
    static final int CTRL_AEAD_GET_TAG = 0x10;
    /** {@code EVP_CTRL_AEAD_SET_TAG}. */
    static final int CTRL_AEAD_SET_TAG = 0x11;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);
    /** System property naming the library to load instead (a path or a name for {@code dlopen}). */
    static final String LIBRARY_PROPERTY = "zonegate.libcrypto";
    private static final String[] NAMES = System.getProperty(LIBRARY_PROPERTY) != null
            ? new String[] {System.getProperty(LIBRARY_PROPERTY)} : new String[] {"libcrypto.so.3", "libcrypto.so"};

    /** The file name that loaded. */
    static final String LIBRARY;
    private static final SymbolLookup LOOKUP;

    static {
        SymbolLookup found = null;
        String name = null;
        IllegalArgumentException failure = null;
        for (String candidate : NAMES) {
            try {
                found = SymbolLookup.libraryLookup(candidate, Arena.global());
                name = candidate;
                break;
            } catch (IllegalArgumentException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (found == null) {
            throw new UnsatisfiedLinkError(String.join(" or ", NAMES) + " does not load: " + failure.getMessage());
        }
        LIBRARY = name;
        LOOKUP = found;
    }

    private static final MethodHandle CTX_NEW = downcall("EVP_CIPHER_CTX_new", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle CTX_FREE = downcall("EVP_CIPHER_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle CIPHER_INIT = downcall("EVP_CipherInit_ex",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT), CRITICAL);
    private static final MethodHandle CIPHER_UPDATE = downcall("EVP_CipherUpdate",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT), CRITICAL);
    private static final MethodHandle CIPHER_FINAL = downcall("EVP_CipherFinal_ex",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG), CRITICAL);
    private static final MethodHandle CTX_CTRL = downcall("EVP_CIPHER_CTX_ctrl",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG), CRITICAL);

    /** The library's version string ({@code OpenSSL_version(OPENSSL_VERSION)}). */
    static final String VERSION = version();
    /** {@code EVP_CIPHER *} of ChaCha20-Poly1305, fetched once. */
    static final long CIPHER = fetchCipher();

    private LibCrypto() {
    }

    /**
     * A new {@code EVP_CIPHER_CTX} set up for ChaCha20-Poly1305 in one direction, freed with
     * {@code EVP_CIPHER_CTX_free} when {@code arena} is closed (for an automatic arena: when it
     * becomes unreachable).
     */
    static MemorySegment newContext(Arena arena, boolean encrypt) {
        MemorySegment ctx;
        try {
            ctx = (MemorySegment) CTX_NEW.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (ctx.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("EVP_CIPHER_CTX_new failed");
        }
        MemorySegment owned = ctx.reinterpret(arena, LibCrypto::free);
        if (init(owned.address(), CIPHER, 0, 0, encrypt) != 1) {
            throw new IllegalStateException("EVP_CipherInit_ex refused ChaCha20-Poly1305");
        }
        return owned;
    }

    /** {@code EVP_CipherInit_ex(ctx, cipher, NULL, key, iv, enc)}; 1 on success. */
    static int init(long ctx, long cipher, long key, long iv, boolean encrypt) {
        try {
            return (int) CIPHER_INIT.invokeExact(ctx, cipher, 0L, key, iv, encrypt ? 1 : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code EVP_CipherUpdate}; {@code out == 0} feeds additional data. 1 on success. */
    static int update(long ctx, long out, long outLength, long in, int inBytes) {
        try {
            return (int) CIPHER_UPDATE.invokeExact(ctx, out, outLength, in, inBytes);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code EVP_CipherFinal_ex}; for decryption 1 only if the tag set before is right. */
    static int doFinal(long ctx, long out, long outLength) {
        try {
            return (int) CIPHER_FINAL.invokeExact(ctx, out, outLength);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code EVP_CIPHER_CTX_ctrl}; 1 on success. */
    static int ctrl(long ctx, int type, int arg, long ptr) {
        try {
            return (int) CTX_CTRL.invokeExact(ctx, type, arg, ptr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void free(MemorySegment ctx) {
        try {
            CTX_FREE.invokeExact(ctx);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static long fetchCipher() {
        Optional<MemorySegment> fetch = LOOKUP.find("EVP_CIPHER_fetch");
        try {
            MemorySegment cipher;
            if (fetch.isPresent()) {
                MethodHandle h = LINKER.downcallHandle(fetch.get(), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
                try (Arena arena = Arena.ofConfined()) {
                    cipher = (MemorySegment) h.invokeExact(MemorySegment.NULL, arena.allocateFrom("ChaCha20-Poly1305"),
                            MemorySegment.NULL);
                }
            } else {
                cipher = (MemorySegment) downcall("EVP_chacha20_poly1305", FunctionDescriptor.of(ADDRESS)).invokeExact();
            }
            if (cipher.equals(MemorySegment.NULL)) {
                throw new UnsatisfiedLinkError(LIBRARY + " (" + VERSION + ") has no ChaCha20-Poly1305");
            }
            return cipher.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static String version() {
        Optional<MemorySegment> symbol = LOOKUP.find("OpenSSL_version");
        if (symbol.isEmpty()) {
            return "unknown version";
        }
        try {
            MethodHandle h = LINKER.downcallHandle(symbol.get(), FunctionDescriptor.of(ADDRESS, JAVA_INT));
            MemorySegment s = (MemorySegment) h.invokeExact(0);
            return s.equals(MemorySegment.NULL) ? "unknown version" : s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LOOKUP.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError(LIBRARY + " has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("libcrypto call failed", t);
    }
}
