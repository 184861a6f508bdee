package zonegate.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.wireguard.internal.SourceRateLimiter.Verdict.ADMITTED;
import static zonegate.wireguard.internal.SourceRateLimiter.Verdict.LIMITED;
import static zonegate.wireguard.internal.SourceRateLimiter.Verdict.TABLE_FULL;

import org.junit.jupiter.api.Test;
import zonegate.wireguard.internal.SourceRateLimiter;
import zonegate.wireguard.internal.crypto.SipHash;

/** The per-source token bucket table: rate, burst, and eviction that never takes a limited source's slot. */
class SourceRateLimiterTest {
    private static final long MS = 1_000_000L;
    private static final int V4 = 4;

    @Test
    void sipHashMatchesTheReferenceVectorForSixteenBytes() {
        // Key 00..0f, message 00..0f: the SipHash-2-4 paper's vector for a 16-byte input.
        long w0 = 0x0706050403020100L;
        long w1 = 0x0f0e0d0c0b0a0908L;
        assertThat(SipHash.hash(w0, w1, w0, w1)).isEqualTo(0x3f2acc7f57c29bdbL);
    }

    @Test
    void sourceGetsItsBurstAtOnceThenOneTokenPerInterval() {
        SourceRateLimiter limiter = new SourceRateLimiter(4096, 20, 5, 1, 2);
        long now = 7_000 * MS;
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.admit(V4, 0xc0000201L, now)).as("burst message %d", i).isEqualTo(ADMITTED);
        }
        assertThat(limiter.admit(V4, 0xc0000201L, now)).isEqualTo(LIMITED);
        assertThat(limiter.admit(V4, 0xc0000201L, now + 49 * MS)).isEqualTo(LIMITED);
        assertThat(limiter.admit(V4, 0xc0000201L, now + 50 * MS)).isEqualTo(ADMITTED);
        assertThat(limiter.admit(V4, 0xc0000201L, now + 50 * MS)).isEqualTo(LIMITED);
        assertThat(limiter.admit(V4, 0xc0000202L, now + 50 * MS)).as("another source").isEqualTo(ADMITTED);
    }

    @Test
    void spentSaysWhetherTheNextMessageWouldBeLimitedWithoutTakingAToken() {
        SourceRateLimiter limiter = new SourceRateLimiter(4096, 20, 5, 9, 10);
        assertThat(limiter.spent(V4, 7, 0)).as("unknown source").isFalse();
        for (int i = 0; i < 4; i++) {
            limiter.admit(V4, 7, 0);
        }
        assertThat(limiter.spent(V4, 7, 0)).as("one token left").isFalse();
        assertThat(limiter.admit(V4, 7, 0)).isEqualTo(ADMITTED);
        assertThat(limiter.spent(V4, 7, 0)).isTrue();
        assertThat(limiter.spent(V4, 7, 49 * MS)).isTrue();
        assertThat(limiter.spent(V4, 7, 50 * MS)).isFalse();
        assertThat(limiter.admit(V4, 7, 50 * MS)).as("spent() took nothing").isEqualTo(ADMITTED);
    }

    @Test
    void floodAdmitsBurstPlusRatePerSecondAndNoMore() {
        SourceRateLimiter limiter = new SourceRateLimiter(4096, 20, 5, 3, 4);
        int admitted = 0;
        for (long now = 0; now < 10_000 * MS; now += MS) {
            for (int i = 0; i < 200; i++) {
                admitted += limiter.admit(V4, 0xc6336407L, now) == ADMITTED ? 1 : 0;
            }
        }
        assertThat(admitted).isEqualTo(5 + 20 * 10 - 1);
    }

    @Test
    void newSourcesNeverEvictASourceThatIsBeingLimited() {
        SourceRateLimiter limiter = new SourceRateLimiter(8, 20, 5, 5, 6);
        long now = 0;
        for (long source = 1; source <= 8; source++) {
            for (int i = 0; i < 5; i++) {
                limiter.admit(V4, source, now);
            }
        }
        assertThat(limiter.admit(V4, 99, now)).as("every slot holds a limited source").isEqualTo(TABLE_FULL);
        for (long newcomer = 100; newcomer < 10_000; newcomer++) {
            assertThat(limiter.admit(V4, newcomer, now + 100 * MS)).isEqualTo(TABLE_FULL);
        }
        // Its bucket survived the flood: 100 ms refilled two tokens, not the five of a fresh entry.
        assertThat(limiter.admit(V4, 3, now + 100 * MS)).isEqualTo(ADMITTED);
        assertThat(limiter.admit(V4, 3, now + 100 * MS)).isEqualTo(ADMITTED);
        assertThat(limiter.admit(V4, 3, now + 100 * MS)).isEqualTo(LIMITED);
        assertThat(limiter.size()).isEqualTo(8);
    }

    @Test
    void idleSourceIsEvictedOnceItsBucketIsFullAgain() {
        SourceRateLimiter limiter = new SourceRateLimiter(8, 20, 5, 7, 8);
        for (long source = 1; source <= 8; source++) {
            limiter.admit(V4, source, 0);
        }
        assertThat(limiter.admit(V4, 99, 49 * MS)).as("one token spent, refilled after 50 ms").isEqualTo(TABLE_FULL);
        assertThat(limiter.admit(V4, 99, 50 * MS)).isEqualTo(ADMITTED);
        assertThat(limiter.size()).isEqualTo(8);
    }
}
