package zonegate.wireguard.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zonegate.wireguard.AeadChoice;

/**
 * The native AEAD against RFC 8439's vectors and against the JCE on random inputs: random lengths,
 * keys, counters and padding, over heap, direct, offset and overlapping buffers; forgeries and short
 * destinations refused.
 */
class NativeTransportAeadTest {
    private static final int TAG = TransportAead.TAG_BYTES;

    private NativeTransportAead nativeAead;
    private final TransportAead jce = new JceTransportAead();

    @BeforeEach
    void requireNative() {
        NativeAeadRequirement.assumeNativeAead();
        nativeAead = new NativeTransportAead();
    }

    @Test
    void sectionTwoEightTwoSealsToThePublishedBytesAndOpens() {
        byte[] sealed = nativeAead.sealWithAad(Rfc8439Vectors.sealKey(), Rfc8439Vectors.sealNonce(),
                Rfc8439Vectors.sealAad(), Rfc8439Vectors.sealPlaintext());
        assertThat(sealed).isEqualTo(Rfc8439Vectors.sealSealed());
        assertThat(nativeAead.openWithAad(Rfc8439Vectors.sealKey(), Rfc8439Vectors.sealNonce(), Rfc8439Vectors.sealAad(),
                sealed)).isEqualTo(Rfc8439Vectors.sealPlaintext());
    }

    @Test
    void theJceSealsSectionTwoEightTwoToTheSameBytes() throws Exception {
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Rfc8439Vectors.sealKey(), "ChaCha20"),
                new IvParameterSpec(Rfc8439Vectors.sealNonce()));
        c.updateAAD(Rfc8439Vectors.sealAad());
        assertThat(c.doFinal(Rfc8439Vectors.sealPlaintext())).isEqualTo(Rfc8439Vectors.sealSealed());
    }

    @Test
    void appendixA5Opens() {
        assertThat(nativeAead.openWithAad(Rfc8439Vectors.openKey(), Rfc8439Vectors.openNonce(), Rfc8439Vectors.openAad(),
                Rfc8439Vectors.openSealed())).isEqualTo(Rfc8439Vectors.openPlaintext());
    }

    @Test
    void tamperedVectorsAreRefused() {
        for (int at : new int[] {0, 100, Rfc8439Vectors.openSealed().length - 1}) {
            byte[] sealed = Rfc8439Vectors.openSealed();
            sealed[at] ^= 0x40;
            assertThat(nativeAead.openWithAad(Rfc8439Vectors.openKey(), Rfc8439Vectors.openNonce(),
                    Rfc8439Vectors.openAad(), sealed)).as("byte %d flipped", at).isNull();
        }
        byte[] aad = Rfc8439Vectors.openAad();
        aad[0] ^= 1;
        assertThat(nativeAead.openWithAad(Rfc8439Vectors.openKey(), Rfc8439Vectors.openNonce(), aad,
                Rfc8439Vectors.openSealed())).isNull();
    }

    @Test
    void theSelfTestPassesAndTheChoicesResolve() {
        assertThat(TransportAeads.selfTest(nativeAead)).isNull();
        assertThat(AeadChoice.AUTO.resolve()).isEqualTo(AeadChoice.NATIVE);
        assertThat(AeadChoice.NATIVE.resolve()).isEqualTo(AeadChoice.NATIVE);
        assertThat(AeadChoice.JCE.resolve()).isEqualTo(AeadChoice.JCE);
        assertThat(TransportAeads.create(AeadChoice.AUTO)).isInstanceOf(NativeTransportAead.class);
        assertThat(TransportAeads.create(AeadChoice.JCE)).isInstanceOf(JceTransportAead.class);
    }

    @Test
    void randomPacketsSealedByEitherImplementationAreIdenticalAndOpenWithTheOther() {
        SplittableRandom random = new SplittableRandom(8439);
        for (int i = 0; i < 600; i++) {
            ErasableKey key = randomKey(random);
            long counter = i < 3 ? new long[] {0, -1, Long.MIN_VALUE}[i] : random.nextLong();
            int length = i < 4 ? new int[] {0, 0, 1, 2000}[i] : random.nextInt(2001);
            int pad = random.nextInt(16);
            byte[] plain = new byte[length];
            random.nextBytes(plain);
            byte[] expected = Arrays.copyOf(plain, length + pad);
            boolean nativeSeals = random.nextBoolean();
            TransportAead sealer = nativeSeals ? nativeAead : jce;
            TransportAead opener = nativeSeals ? jce : nativeAead;
            String what = "case " + i + ": " + length + " bytes, pad " + pad + ", native seals " + nativeSeals;

            ByteBuffer src = filled(buffer(random, length), plain);
            ByteBuffer wire = buffer(random, length + pad + TAG + random.nextInt(40));
            int wireStart = wire.position();
            int n = sealer.seal(key, counter, src, pad, wire);
            assertThat(n).as(what).isEqualTo(length + pad + TAG);
            assertThat(wire.position()).as(what).isEqualTo(wireStart + n);
            assertThat(src.hasRemaining()).as(what).isFalse();
            byte[] sealed = bytes(wire.flip().position(wireStart));
            ByteBuffer reference = ByteBuffer.allocate(n);
            (nativeSeals ? jce : nativeAead).seal(key, counter, ByteBuffer.wrap(plain), pad, reference);
            assertThat(sealed).as(what + ": both seal the same bytes").isEqualTo(reference.array());

            ByteBuffer in = filled(buffer(random, n), sealed);
            ByteBuffer out = buffer(random, length + pad + random.nextInt(40));
            int start = out.position();
            assertThat(opener.open(key, counter, in, out)).as(what).isEqualTo(length + pad);
            assertThat(out.position()).as(what).isEqualTo(start + length + pad);
            assertThat(bytes(out.flip().position(start))).as(what).isEqualTo(expected);
        }
    }

    @Test
    void theTagThroughCtrlAsWithOpenSslOneOneSealsAndOpensAsThroughParams() {
        NativeTransportAead ctrl = new NativeTransportAead(false, false);
        assertThat(ctrl.sealWithAad(Rfc8439Vectors.sealKey(), Rfc8439Vectors.sealNonce(), Rfc8439Vectors.sealAad(),
                Rfc8439Vectors.sealPlaintext())).isEqualTo(Rfc8439Vectors.sealSealed());
        assertThat(ctrl.openWithAad(Rfc8439Vectors.openKey(), Rfc8439Vectors.openNonce(), Rfc8439Vectors.openAad(),
                Rfc8439Vectors.openSealed())).isEqualTo(Rfc8439Vectors.openPlaintext());
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200; i++) {
            ErasableKey key = randomKey(random);
            long counter = random.nextLong();
            byte[] plain = new byte[random.nextInt(1500)];
            random.nextBytes(plain);
            ByteBuffer viaCtrl = ByteBuffer.allocateDirect(plain.length + TAG);
            ByteBuffer viaParams = ByteBuffer.allocateDirect(plain.length + TAG);
            ctrl.seal(key, counter, ByteBuffer.wrap(plain), 0, viaCtrl);
            nativeAead.seal(key, counter, ByteBuffer.wrap(plain), 0, viaParams);
            byte[] sealed = bytes(viaCtrl.flip());
            assertThat(sealed).as("case %d", i).isEqualTo(bytes(viaParams.flip()));
            ByteBuffer out = ByteBuffer.allocateDirect(plain.length);
            assertThat(ctrl.open(key, counter, ByteBuffer.wrap(sealed), out)).as("case %d", i).isEqualTo(plain.length);
            assertThat(bytes(out.flip())).as("case %d", i).isEqualTo(plain);
            sealed[random.nextInt(sealed.length)] ^= 1;
            assertThat(ctrl.open(key, counter, ByteBuffer.wrap(sealed), ByteBuffer.allocateDirect(plain.length)))
                    .as("case %d forged", i).isEqualTo(-1);
            assertThat(nativeAead.open(key, counter, ByteBuffer.wrap(sealed), ByteBuffer.allocateDirect(plain.length)))
                    .as("case %d forged", i).isEqualTo(-1);
        }
    }

    @Test
    void withOpenSslThreeTheNonceTravelsAsAParameter() {
        assertThat(NativeTransportAead.nonceParamWorks()).isEqualTo(LibCrypto.TAG_PARAMS);
        assertThat(nativeAead.toString()).endsWith(LibCrypto.TAG_PARAMS ? "nonce by parameter]" : "nonce by init]");
        assertThatThrownBy(() -> new NativeTransportAead(false, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNonceAsAParameterSealsAndOpensAsTheInitAndTheJceThroughRunsSwitchesAndForgeries() {
        assumeTrue(NativeTransportAead.nonceParamWorks(), "the nonce as a parameter needs OpenSSL 3");
        NativeTransportAead byParam = new NativeTransportAead(true, true);
        NativeTransportAead byInit = new NativeTransportAead(true, false);
        SplittableRandom random = new SplittableRandom(12);
        ErasableKey[] keys = {randomKey(random), randomKey(random), randomKey(random)};
        ErasableKey key = keys[0];
        int forgeries = 0;
        for (int i = 0; i < 2000; i++) {
            if (random.nextInt(8) == 0) {
                key = keys[random.nextInt(keys.length)];       // mostly runs of one key, now and then a switch
            }
            long counter = random.nextLong();
            byte[] plain = new byte[random.nextInt(8) == 0 ? random.nextInt(65) : random.nextInt(1500)];
            random.nextBytes(plain);
            int pad = random.nextInt(16);
            String what = "packet " + i + ": " + plain.length + " bytes, pad " + pad;
            byte[] expected = jceSeal(key, counter, plain, pad);
            for (NativeTransportAead sealer : new NativeTransportAead[] {byParam, byInit}) {
                ByteBuffer wire = ByteBuffer.allocateDirect(expected.length);
                sealer.seal(key, counter, ByteBuffer.wrap(plain), pad, wire);
                assertThat(bytes(wire.flip())).as(what + ", " + sealer).isEqualTo(expected);
            }
            if (random.nextInt(5) == 0) {
                byte[] forged = expected.clone();
                forged[random.nextInt(forged.length)] ^= (byte) (1 << random.nextInt(8));
                assertThat(byParam.open(key, counter, ByteBuffer.wrap(forged), ByteBuffer.allocateDirect(expected.length)))
                        .as(what + ", forged").isEqualTo(-1);
                forgeries++;
            }
            ByteBuffer out = ByteBuffer.allocateDirect(expected.length);
            assertThat(byParam.open(key, counter, ByteBuffer.wrap(expected), out)).as(what).isEqualTo(plain.length + pad);
            assertThat(bytes(out.flip())).as(what).isEqualTo(Arrays.copyOf(plain, plain.length + pad));
            if (random.nextInt(10) == 0) {
                assertThat(byParam.open(key, counter + 1, ByteBuffer.wrap(expected), ByteBuffer.allocateDirect(expected.length)))
                        .as(what + ", under the next counter").isEqualTo(-1);
            }
        }
        assertThat(forgeries).isGreaterThan(300);
    }

    @Test
    void runsOfOneKeyAndSwitchesBetweenKeysSealAndOpenAsTheJceDoes() {
        SplittableRandom random = new SplittableRandom(4);
        ErasableKey a = randomKey(random);
        ErasableKey b = randomKey(random);
        byte[] plain = new byte[500];
        random.nextBytes(plain);
        ErasableKey[] order = {a, a, a, b, a, b, b, a};
        for (int i = 0; i < order.length; i++) {
            byte[] expected = jceSeal(order[i], i, plain, 12);
            ByteBuffer wire = ByteBuffer.allocateDirect(expected.length);
            nativeAead.seal(order[i], i, ByteBuffer.wrap(plain), 12, wire);
            assertThat(bytes(wire.flip())).as("packet %d", i).isEqualTo(expected);
            ErasableKey opener = order[order.length - 1 - i];
            byte[] other = jceSeal(opener, 100 + i, plain, 12);
            assertThat(nativeAead.open(opener, 100 + i, ByteBuffer.wrap(other), ByteBuffer.allocateDirect(512)))
                    .as("packet %d", i).isEqualTo(512);
            assertThat(nativeAead.open(opener == a ? b : a, 100 + i, ByteBuffer.wrap(other), ByteBuffer.allocate(512)))
                    .as("packet %d under the other key", i).isEqualTo(-1);
        }
        a.destroy();
        ErasableKey zero = new ErasableKey(new byte[32], 0);
        ByteBuffer wire = ByteBuffer.allocate(plain.length + 12 + TAG);
        nativeAead.seal(a, 99, ByteBuffer.wrap(plain), 12, wire);
        assertThat(wire.array()).as("a destroyed key is all zeros, as in the JCE").isEqualTo(jceSeal(zero, 99, plain, 12));
    }

    @Test
    void directBuffersSealAndOpenInPlaceAndOverlapping() {
        SplittableRandom random = new SplittableRandom(5);
        ErasableKey key = randomKey(random);
        byte[] plain = new byte[1400];
        random.nextBytes(plain);
        byte[] expected = jceSeal(key, 77, plain, 8);
        for (int shift : new int[] {0, -16, -3, 5, 40}) {
            ByteBuffer memory = ByteBuffer.allocateDirect(1600);
            memory.position(100).put(plain);
            ByteBuffer src = memory.duplicate().position(100).limit(100 + plain.length);
            ByteBuffer dst = memory.duplicate().clear().position(100 + shift);
            assertThat(nativeAead.seal(key, 77, src, 8, dst)).as("seal, shift %d", shift).isEqualTo(expected.length);
            assertThat(bytes(memory.duplicate().position(100 + shift).limit(100 + shift + expected.length)))
                    .as("seal, shift %d", shift).isEqualTo(expected);

            ByteBuffer wire = memory.duplicate().position(100 + shift).limit(100 + shift + expected.length);
            ByteBuffer into = memory.duplicate().clear().position(100 + 2 * shift);
            assertThat(nativeAead.open(key, 77, wire, into)).as("open, shift %d", shift).isEqualTo(1408);
            assertThat(bytes(memory.duplicate().position(100 + 2 * shift).limit(100 + 2 * shift + 1400)))
                    .as("open, shift %d", shift).isEqualTo(plain);
        }
    }

    @Test
    void aTamperedTagOrCiphertextIsRefusedAndLeavesNoPlaintext() {
        SplittableRandom random = new SplittableRandom(6);
        ErasableKey key = randomKey(random);
        byte[] plain = new byte[300];
        Arrays.fill(plain, (byte) 0x11);
        byte[] sealed = jceSeal(key, 3, plain, 4);
        for (int at : new int[] {0, 150, sealed.length - TAG, sealed.length - 1}) {
            for (boolean direct : new boolean[] {false, true}) {
                byte[] forged = sealed.clone();
                forged[at] ^= 1;
                ByteBuffer dst = direct ? ByteBuffer.allocateDirect(400) : ByteBuffer.allocate(400);
                for (int i = 0; i < 400; i++) {
                    dst.put(i, (byte) 0x5a);
                }
                dst.position(10);
                ByteBuffer src = ByteBuffer.allocateDirect(forged.length).put(forged).flip();
                assertThat(nativeAead.open(key, 3, src, dst)).as("byte %d, direct %b", at, direct).isEqualTo(-1);
                assertThat(dst.position()).isEqualTo(10);
                byte[] after = bytes(dst.duplicate().clear());
                assertThat(after).as("byte %d, direct %b: no plaintext", at, direct).doesNotContain((byte) 0x11);
            }
        }
        assertThat(nativeAead.open(key, 3, ByteBuffer.wrap(sealed), ByteBuffer.allocate(400))).isEqualTo(304);
    }

    @Test
    void shortInputAndShortDestinationsAreRefused() {
        SplittableRandom random = new SplittableRandom(7);
        ErasableKey key = randomKey(random);
        byte[] sealed = jceSeal(key, 1, new byte[100], 0);
        for (TransportAead aead : new TransportAead[] {nativeAead, jce}) {
            assertThat(aead.open(key, 1, ByteBuffer.wrap(sealed, 0, 15), ByteBuffer.allocate(100))).isEqualTo(-1);
            assertThat(aead.open(key, 1, ByteBuffer.wrap(sealed), ByteBuffer.allocate(99))).isEqualTo(-1);
            assertThat(aead.open(key, 1, ByteBuffer.wrap(sealed), ByteBuffer.allocateDirect(99))).isEqualTo(-1);
        }
        ByteBuffer src = ByteBuffer.allocateDirect(100);
        ByteBuffer small = ByteBuffer.allocateDirect(200).position(85);
        assertThatThrownBy(() -> nativeAead.seal(key, 2, src, 0, small)).isInstanceOf(BufferOverflowException.class);
        assertThat(src.position()).isZero();
        assertThat(small.position()).isEqualTo(85);
        assertThatThrownBy(() -> nativeAead.seal(key, 2, src, 0, ByteBuffer.allocate(200).asReadOnlyBuffer()))
                .isInstanceOf(java.nio.ReadOnlyBufferException.class);
    }

    @Test
    void messagesLargerThanTheScratchSegmentWork() {
        SplittableRandom random = new SplittableRandom(9);
        ErasableKey key = randomKey(random);
        byte[] plain = new byte[65_000];
        random.nextBytes(plain);
        ByteBuffer wire = ByteBuffer.allocate(plain.length + TAG);
        nativeAead.seal(key, 5, ByteBuffer.wrap(plain), 0, wire);
        assertThat(wire.array()).isEqualTo(jceSeal(key, 5, plain, 0));
        ByteBuffer out = ByteBuffer.allocate(plain.length);
        assertThat(nativeAead.open(key, 5, wire.flip(), out)).isEqualTo(plain.length);
        assertThat(out.array()).isEqualTo(plain);
    }

    @Test
    void theDecisionFollowsTheChoiceAndTheProbe() {
        assertThat(TransportAeads.decide(AeadChoice.AUTO, null)).isEqualTo(AeadChoice.NATIVE);
        assertThat(TransportAeads.decide(AeadChoice.AUTO, "no library")).isEqualTo(AeadChoice.JCE);
        assertThat(TransportAeads.decide(AeadChoice.JCE, null)).isEqualTo(AeadChoice.JCE);
        assertThat(TransportAeads.decide(AeadChoice.NATIVE, null)).isEqualTo(AeadChoice.NATIVE);
        assertThat(TransportAeads.decide(AeadChoice.NATIVE, "no library")).isNull();
    }

    private byte[] jceSeal(ErasableKey key, long counter, byte[] plain, int pad) {
        ByteBuffer out = ByteBuffer.allocate(plain.length + pad + TAG);
        jce.seal(key, counter, ByteBuffer.wrap(plain), pad, out);
        return out.array();
    }

    private static ErasableKey randomKey(SplittableRandom random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return new ErasableKey(k, 0);
    }

    /**
     * An empty buffer of {@code capacity} usable bytes at its position: heap or direct, plain or a
     * slice at an offset of a larger one (arrayOffset or base address not zero), positioned past a
     * random prefix.
     */
    private static ByteBuffer buffer(SplittableRandom random, int capacity) {
        boolean direct = random.nextBoolean();
        int offset = random.nextBoolean() ? 0 : 1 + random.nextInt(31);
        int prefix = random.nextInt(8);
        int total = offset + prefix + capacity;
        ByteBuffer whole = direct ? ByteBuffer.allocateDirect(total) : ByteBuffer.allocate(total);
        return whole.position(offset).slice().position(prefix);
    }

    /** {@code b} holding {@code content} from its position to its limit. */
    private static ByteBuffer filled(ByteBuffer b, byte[] content) {
        int start = b.position();
        return b.put(content).limit(b.position()).position(start);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
