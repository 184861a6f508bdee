package zonegate.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void neverHandsOutMoreThanItsBoundAndCountsMisses() {
        BufferPool pool = new BufferPool(2048, 3, true);
        List<PooledBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            taken.add(pool.acquire());
        }

        assertThat(pool.acquire()).isNull();
        assertThat(pool.acquire()).isNull();
        assertThat(pool.misses()).isEqualTo(2);
        assertThat(pool.created()).isEqualTo(3);
        assertThat(taken).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(taken.getFirst().buffer().capacity()).isEqualTo(2048);
        assertThat(taken.getFirst().buffer().isDirect()).isTrue();
    }

    @Test
    void releasedBufferIsReusedCleared() {
        BufferPool pool = new BufferPool(64, 1, false);
        PooledBuffer b = pool.acquire();
        b.buffer().position(10).limit(20);

        assertThat(pool.release(b)).isTrue();
        PooledBuffer again = pool.acquire();

        assertThat(again).isSameAs(b);
        assertThat(again.buffer().position()).isZero();
        assertThat(again.buffer().limit()).isEqualTo(64);
    }

    @Test
    void doubleForeignAndNullReleasesAreIgnoredAndCounted() {
        BufferPool pool = new BufferPool(64, 2, false);
        BufferPool other = new BufferPool(64, 2, false);
        PooledBuffer b = pool.acquire();

        assertThat(pool.release(b)).isTrue();
        assertThat(pool.release(b)).isFalse();
        assertThat(pool.release(other.acquire())).isFalse();
        assertThat(pool.release(null)).isFalse();

        assertThat(pool.rejectedReleases()).isEqualTo(3);
        assertThat(pool.available()).isEqualTo(2);
    }

    @Test
    void concurrentAcquireAndReleaseNeverSharesABufferOrExceedsTheBound() throws InterruptedException {
        int capacity = 8;
        BufferPool pool = new BufferPool(128, capacity, true);
        ConcurrentHashMap<PooledBuffer, Boolean> onLoan = new ConcurrentHashMap<>();
        AtomicInteger violations = new AtomicInteger();
        int threads = 4;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 50_000; i++) {
                        PooledBuffer b = pool.acquire();
                        if (b == null) {
                            continue;
                        }
                        if (onLoan.putIfAbsent(b, Boolean.TRUE) != null) {
                            violations.incrementAndGet();
                        }
                        onLoan.remove(b);
                        if (!pool.release(b)) {
                            violations.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(violations.get()).isZero();
        assertThat(pool.created()).isLessThanOrEqualTo(capacity);
        assertThat(pool.available()).isEqualTo(capacity);
        assertThat(pool.rejectedReleases()).isZero();
    }
}
