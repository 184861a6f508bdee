package zonegate.benchmarks.wireguard;

import java.time.Instant;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import zonegate.wireguard.Device;
import zonegate.wireguard.PeerConfig;
import zonegate.wireguard.PeerRole;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.Tunnel;
import zonegate.wireguard.TunnelResult;
import zonegate.wireguard.WireGuardConfig;

/**
 * A complete handshake (initiation, response, first transport message) between two devices, beside
 * one X25519 scalar multiplication. A handshake costs 8 X25519 operations (4 per side; the static-static
 * one is precomputed per peer), so the bound is {@code x25519 / 8}; report
 * {@code fullHandshake / (x25519 / 8)} (target at least 0.8).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandshakeBenchmark {
    private static final long HOUR_NS = 3_600_000_000_000L;
    private final InetSocketAddress fromA = new InetSocketAddress("10.0.0.1", 51820);
    private final InetSocketAddress fromB = new InetSocketAddress("10.0.0.2", 51820);
    private final TunnelResult result = new TunnelResult();
    private final ByteBuffer packet = ByteBuffer.allocate(64);
    private final ByteBuffer wire = ByteBuffer.allocate(2048);
    private final ByteBuffer back = ByteBuffer.allocate(2048);
    private final byte[] scalar = new byte[32];
    private final byte[] point = new byte[32];
    private final byte[] shared = new byte[32];
    private Device deviceA;
    private Device deviceB;
    private Tunnel tunnelA;
    private long nowNs = HOUR_NS;

    @Setup
    public void setUp() {
        SecureRandom sr = new SecureRandom();
        PrivateKey keyA = PrivateKey.generate(sr);
        PrivateKey keyB = PrivateKey.generate(sr);
        deviceA = new Device(keyA, WireGuardConfig.DEFAULT, () -> Instant.ofEpochSecond(0, nowNs), sr, new SplittableRandom(1), nowNs);
        deviceB = new Device(keyB, WireGuardConfig.DEFAULT, () -> Instant.ofEpochSecond(0, nowNs), sr, new SplittableRandom(2), nowNs);
        tunnelA = deviceA.addPeer(PeerConfig.of(keyB.publicKey()), nowNs);
        deviceB.addPeer(PeerConfig.of(keyA.publicKey()).withRole(PeerRole.RESPONDER_ONLY), nowNs);
        packet.put(0, (byte) 0x45).put(3, (byte) 64);
        sr.nextBytes(scalar);
        X25519.scalarMultBase(scalar, 0, point, 0);
    }

    /** Each call moves the clock an hour on, so the old session is unusable and a new handshake runs. */
    @Benchmark
    public int fullHandshake() {
        nowNs += HOUR_NS;
        tunnelA.encapsulate(packet.clear(), wire.clear(), nowNs, result);
        deviceB.handleDatagram(fromA, wire.flip(), back.clear(), nowNs, result);
        deviceA.handleDatagram(fromB, back.flip(), wire.clear(), nowNs, result);
        deviceB.handleDatagram(fromA, wire.flip(), back.clear(), nowNs, result);
        return result.lengthBytes();
    }

    @Benchmark
    public byte[] x25519() {
        X25519.scalarMult(scalar, 0, point, 0, shared, 0);
        return shared;
    }
}
