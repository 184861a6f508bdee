package zonegate.benchmarks.wireguard;

import java.time.Instant;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import zonegate.wireguard.AeadChoice;
import zonegate.wireguard.Action;
import zonegate.wireguard.Device;
import zonegate.wireguard.PeerConfig;
import zonegate.wireguard.PeerRole;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.Tunnel;
import zonegate.wireguard.TunnelResult;
import zonegate.wireguard.WireGuardConfig;
import zonegate.wireguard.internal.crypto.ErasableKey;
import zonegate.wireguard.internal.crypto.NativeTransportAead;

/**
 * Transport data path: {@code encapsulate} on one device plus {@code handleDatagram} on the other
 * (seal + open of one packet), beside the raw ChaCha20-Poly1305 seal + open of the same size with the
 * same AEAD (the JCE's {@code Cipher}, or {@link NativeTransportAead}). Report the ratio
 * {@code encapsulateDecapsulate / rawAeadSealOpen} (target at least 0.85; 0 B/op with the native AEAD).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DataPathBenchmark {
    @Param({"64", "1420"})
    int packetBytes;

    /** Where the packets live: "direct" (what the FFM I/O shell hands over) or "heap". */
    @Param({"direct", "heap"})
    String buffers;

    /** The transport AEAD of both devices: "jce" or "native". */
    @Param({"jce", "native"})
    String aead;

    private static final long NOW_NS = 1_000_000_000L;
    private final InetSocketAddress fromA = new InetSocketAddress("10.0.0.1", 51820);
    private final TunnelResult result = new TunnelResult();
    private Device deviceB;
    private Tunnel tunnelA;
    private ByteBuffer packet;
    private ByteBuffer wire;
    private ByteBuffer plain;
    private Cipher rawSealer;
    private Cipher rawOpener;
    private SecretKeySpec rawKey;
    private final byte[] nonce = new byte[12];
    private long rawCounter;
    private NativeTransportAead rawNative;
    private ErasableKey rawNativeKey;

    @Setup
    public void setUp() throws Exception {
        SecureRandom sr = new SecureRandom();
        PrivateKey keyA = PrivateKey.generate(sr);
        PrivateKey keyB = PrivateKey.generate(sr);
        AeadChoice choice = aead.equals("native") ? AeadChoice.NATIVE : AeadChoice.JCE;
        WireGuardConfig config = WireGuardConfig.DEFAULT.withAead(choice);
        Device deviceA = new Device(keyA, config, () -> Instant.ofEpochSecond(0, 1_700_000_000_000_000_000L), sr,
                new SplittableRandom(1), NOW_NS);
        deviceB = new Device(keyB, config, () -> Instant.ofEpochSecond(0, 1_700_000_000_000_000_000L), sr,
                new SplittableRandom(2), NOW_NS);
        tunnelA = deviceA.addPeer(PeerConfig.of(keyB.publicKey()), NOW_NS);
        deviceB.addPeer(PeerConfig.of(keyA.publicKey()).withRole(PeerRole.RESPONDER_ONLY), NOW_NS);
        boolean direct = buffers.equals("direct");
        packet = direct ? ByteBuffer.allocateDirect(packetBytes) : ByteBuffer.allocate(packetBytes);
        packet.put(0, (byte) 0x45).put(2, (byte) (packetBytes >>> 8)).put(3, (byte) packetBytes);
        wire = direct ? ByteBuffer.allocateDirect(2048) : ByteBuffer.allocate(2048);
        plain = direct ? ByteBuffer.allocateDirect(2048) : ByteBuffer.allocate(2048);
        InetSocketAddress fromB = new InetSocketAddress("10.0.0.2", 51820);
        tunnelA.encapsulate(packet.clear(), wire.clear(), NOW_NS, result);
        deviceB.handleDatagram(fromA, wire.flip(), plain.clear(), NOW_NS, result);
        deviceA.handleDatagram(fromB, plain.flip(), wire.clear(), NOW_NS, result);
        deviceB.handleDatagram(fromA, wire.flip(), plain.clear(), NOW_NS, result);
        if (result.action() != Action.WRITE_TO_TUNNEL) {
            throw new IllegalStateException("handshake failed: " + result);
        }
        byte[] k = new byte[32];
        sr.nextBytes(k);
        rawKey = new SecretKeySpec(k, "ChaCha20");
        rawSealer = Cipher.getInstance("ChaCha20-Poly1305");
        rawOpener = Cipher.getInstance("ChaCha20-Poly1305");
        if (choice == AeadChoice.NATIVE) {
            rawNative = new NativeTransportAead();
            rawNativeKey = new ErasableKey(k, 0);
        }
    }

    @Benchmark
    public int encapsulateDecapsulate() {
        tunnelA.encapsulate(packet.clear(), wire.clear(), NOW_NS, result);
        deviceB.handleDatagram(fromA, wire.flip(), plain.clear(), NOW_NS, result);
        return result.lengthBytes();
    }

    @Benchmark
    public int rawAeadSealOpen() throws Exception {
        long counter = rawCounter++;
        if (rawNative != null) {
            rawNative.seal(rawNativeKey, counter, packet.clear(), 0, wire.clear());
            return rawNative.open(rawNativeKey, counter, wire.flip(), plain.clear());
        }
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        IvParameterSpec iv = new IvParameterSpec(nonce);
        rawSealer.init(Cipher.ENCRYPT_MODE, rawKey, iv);
        wire.clear();
        rawSealer.doFinal(packet.clear(), wire);
        rawOpener.init(Cipher.DECRYPT_MODE, rawKey, iv);
        return rawOpener.doFinal(wire.flip(), plain.clear());
    }
}
