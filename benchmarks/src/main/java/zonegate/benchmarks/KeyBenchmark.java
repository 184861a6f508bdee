package zonegate.benchmarks;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.PublicKey;

/** Public-key derivation (one X25519 base-point multiplication), as {@code zonegate pubkey} does it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class KeyBenchmark {
    private final PrivateKey key = PrivateKey.generate(new SecureRandom());

    @Benchmark
    public PublicKey derivePublicKey() {
        return key.publicKey();
    }
}
