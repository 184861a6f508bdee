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
    /** OpenSSL 3's {@code EVP_CIPHER_CTX_get_params} and {@code _set_params}, or null (1.1). */
    private static final MethodHandle CTX_GET_PARAMS = optionalDowncall("EVP_CIPHER_CTX_get_params",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), CRITICAL);
    private static final MethodHandle CTX_SET_PARAMS = optionalDowncall("EVP_CIPHER_CTX_set_params",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), CRITICAL);
    /**
     * Whether the tag travels as an {@code OSSL_PARAM} ({@link #getParams}, {@link #setParams}): OpenSSL 3,
     * where {@code EVP_CIPHER_CTX_ctrl} builds the same parameter on every call and costs ~150 ns more per
     * packet (measured with OpenSSL 3.0.19: 1,150 against 1,000 ns to seal 1420 bytes).
     */
    static final boolean TAG_PARAMS = CTX_GET_PARAMS != null && CTX_SET_PARAMS != null;

    /** {@code sizeof(OSSL_PARAM)}: key pointer, unsigned data_type (padded), data pointer, data_size, return_size. */
    static final long PARAM_BYTES = 40;
    private static final long PARAM_DATA_TYPE = 8;
    private static final long PARAM_DATA_SIZE = 24;
    private static final long PARAM_RETURN_SIZE = 32;
    /** The offset of {@code OSSL_PARAM.data}: the one field {@link #getParams}'s caller writes per call. */
    static final long PARAM_DATA = 16;
    /** {@code OSSL_PARAM_OCTET_STRING}. */
    private static final int OCTET_STRING = 5;
    /** {@code OSSL_CIPHER_PARAM_AEAD_TAG}. */
    private static final String TAG = "tag";
    /** {@code OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED}. */
    private static final String IV_FIXED = "tlsivfixed";

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

    /**
     * An {@code OSSL_PARAM} list of one octet string, OpenSSL's AEAD tag ({@code OSSL_CIPHER_PARAM_AEAD_TAG},
     * {@code "tag"}) of {@code tagBytes}, and the end marker, in {@code arena}. Its data pointer (at
     * {@link #PARAM_DATA}) is the caller's to set before each call.
     */
    static MemorySegment tagParam(Arena arena, int tagBytes) {
        return octetStrings(arena, new String[] {TAG}, new int[] {tagBytes});
    }

    /**
     * An {@code OSSL_PARAM} list in {@code arena}: the 12-byte nonce as
     * {@code OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED} ({@code "tlsivfixed"}), its data pointer set to
     * {@code nonce}; then, unless {@code tagBytes} is 0, the tag of {@code tagBytes}, whose data pointer
     * (at {@link #PARAM_BYTES} + {@link #PARAM_DATA}) the caller sets before each call, so that the list
     * from {@link #PARAM_BYTES} on is the tag alone; then the end marker.
     *
     * <p>OpenSSL 3's ChaCha20-Poly1305 takes the fixed IV as the whole nonce of the next message (its
     * TLS path XORs a record number into it later; without TLS additional data nothing does), and its
     * final leaves the context ready for a new message: so, under an unchanged key, this parameter
     * replaces {@code EVP_CipherInit_ex} with the IV. {@link NativeTransportAead} uses it only after
     * checking that both give the same bytes.
     */
    static MemorySegment nonceParams(Arena arena, MemorySegment nonce, int tagBytes) {
        int nonceBytes = (int) nonce.byteSize();
        MemorySegment list = tagBytes == 0 ? octetStrings(arena, new String[] {IV_FIXED}, new int[] {nonceBytes})
                : octetStrings(arena, new String[] {IV_FIXED, TAG}, new int[] {nonceBytes, tagBytes});
        list.set(ADDRESS, PARAM_DATA, nonce);
        return list;
    }

    /** {@code names.length} octet-string parameters of the given sizes, data pointers null, then the end marker. */
    private static MemorySegment octetStrings(Arena arena, String[] names, int[] sizes) {
        MemorySegment list = arena.allocate((names.length + 1) * PARAM_BYTES, 8);   // zeroed: the last is the end marker
        for (int i = 0; i < names.length; i++) {
            long at = i * PARAM_BYTES;
            list.set(ADDRESS, at, arena.allocateFrom(names[i]));
            list.set(JAVA_INT, at + PARAM_DATA_TYPE, OCTET_STRING);
            list.set(JAVA_LONG, at + PARAM_DATA_SIZE, sizes[i]);
            list.set(JAVA_LONG, at + PARAM_RETURN_SIZE, -1L);              // OSSL_PARAM_UNMODIFIED
        }
        return list;
    }

    /** {@code EVP_CIPHER_CTX_get_params(ctx, params)}; 1 on success. Only when {@link #TAG_PARAMS}. */
    static int getParams(long ctx, long params) {
        try {
            return (int) CTX_GET_PARAMS.invokeExact(ctx, params);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code EVP_CIPHER_CTX_set_params(ctx, params)}; 1 on success. Only when {@link #TAG_PARAMS}. */
    static int setParams(long ctx, long params) {
        try {
            return (int) CTX_SET_PARAMS.invokeExact(ctx, params);
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

    private static MethodHandle optionalDowncall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LOOKUP.find(name).map(symbol -> LINKER.downcallHandle(symbol, descriptor, options)).orElse(null);
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
