package zonegate.wireguard.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The AEAD test vectors of RFC 8439: section 2.8.2 (sealing) and appendix A.5 (opening). The native
 * AEAD's self-test and the tests use them.
 */
public final class Rfc8439Vectors {
    private static final HexFormat HEX = HexFormat.of();

    /** Section 2.8.2: key, nonce, additional data, plaintext, and ciphertext followed by the tag. */
    private static final byte[] SEAL_KEY = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    /** Section 2.8.2's nonce: the constant 07000000 and the IV 4041424344454647. */
    private static final byte[] SEAL_NONCE = HEX.parseHex("070000004041424344454647");
    /** Section 2.8.2's additional data. */
    private static final byte[] SEAL_AAD = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    /** Section 2.8.2's plaintext. */
    private static final byte[] SEAL_PLAINTEXT = ("Ladies and Gentlemen of the class of '99: If I could offer you only one"
            + " tip for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
    /** Section 2.8.2's ciphertext and tag. */
    private static final byte[] SEAL_SEALED = HEX.parseHex(
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
            + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691");

    /** Appendix A.5: key, nonce (our transport format: 4 zero bytes, then 8), additional data. */
    private static final byte[] OPEN_KEY = HEX.parseHex("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
    /** Appendix A.5's nonce. */
    private static final byte[] OPEN_NONCE = HEX.parseHex("000000000102030405060708");
    /** Appendix A.5's additional data. */
    private static final byte[] OPEN_AAD = HEX.parseHex("f33388860000000000004e91");
    /** Appendix A.5's ciphertext (265 bytes) and tag. */
    private static final byte[] OPEN_SEALED = HEX.parseHex(
            "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb24c6cfc18755d43eea09ee94e382d26b0"
            + "bdb7b73c321b0100d4f03b7f355894cf332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
            + "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4b9166c767b804d46a59b5216cde7a4e9"
            + "9040c5a40433225ee282a1b0a06c523eaf4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
            + "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a1049e617d91d361094fa68f0ff77987130"
            + "305beaba2eda04df997b714d6c6f2c29a6ad5cb4022b02709b" + "eead9d67890cbb22392336fea1851f38");
    /** Appendix A.5's plaintext: an Internet-Draft boilerplate, with its curly quotes in UTF-8. */
    private static final byte[] OPEN_PLAINTEXT = ("Internet-Drafts are draft documents valid for a maximum of six months"
            + " and may be updated, replaced, or obsoleted by other documents at any time. It is inappropriate to"
            + " use Internet-Drafts as reference material or to cite them other than as /\u201cwork in progress./\u201d")
            .getBytes(StandardCharsets.UTF_8);

    private Rfc8439Vectors() {
    }

    /** A copy of {@code SEAL_KEY}. */
    public static byte[] sealKey() {
        return SEAL_KEY.clone();
    }

    /** A copy of {@code SEAL_NONCE}. */
    public static byte[] sealNonce() {
        return SEAL_NONCE.clone();
    }

    /** A copy of {@code SEAL_AAD}. */
    public static byte[] sealAad() {
        return SEAL_AAD.clone();
    }

    /** A copy of {@code SEAL_PLAINTEXT}. */
    public static byte[] sealPlaintext() {
        return SEAL_PLAINTEXT.clone();
    }

    /** A copy of {@code SEAL_SEALED}. */
    public static byte[] sealSealed() {
        return SEAL_SEALED.clone();
    }

    /** A copy of {@code OPEN_KEY}. */
    public static byte[] openKey() {
        return OPEN_KEY.clone();
    }

    /** A copy of {@code OPEN_NONCE}. */
    public static byte[] openNonce() {
        return OPEN_NONCE.clone();
    }

    /** A copy of {@code OPEN_AAD}. */
    public static byte[] openAad() {
        return OPEN_AAD.clone();
    }

    /** A copy of {@code OPEN_SEALED}. */
    public static byte[] openSealed() {
        return OPEN_SEALED.clone();
    }

    /** A copy of {@code OPEN_PLAINTEXT}. */
    public static byte[] openPlaintext() {
        return OPEN_PLAINTEXT.clone();
    }
}
