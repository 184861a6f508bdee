package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static zonegate.turn.server.RelayHarness.address;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link PeerPolicy} and {@link Cidr} on their own. */
class PeerPolicyTest {

    @Test
    void rangeBoundariesAreExact() {
        PeerPolicy policy = PeerPolicy.defaults();

        assertThat(policy.allows(address("172.15.255.255"))).isTrue();
        assertThat(policy.allows(address("172.16.0.0"))).isFalse();
        assertThat(policy.allows(address("172.31.255.255"))).isFalse();
        assertThat(policy.allows(address("172.32.0.0"))).isTrue();
        assertThat(policy.allows(address("100.63.255.255"))).isTrue();
        assertThat(policy.allows(address("100.128.0.0"))).isTrue();
        assertThat(policy.allows(address("64:ff9b::1:0:0"))).isTrue();
        assertThat(policy.allows(address("64:ff9b:1:ffff::1"))).isFalse();
        assertThat(policy.allows(address("fbff::1"))).isTrue();
        assertThat(policy.allows(address("2001:db8::1"))).isTrue();
    }

    @Test
    void allowedExceptionsNeverOpenUnspecifiedMulticastOrBroadcast() {
        PeerPolicy open = PeerPolicy.defaults().allowing(List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")));

        assertThat(open.allows(address("10.0.0.1"))).isTrue();
        assertThat(open.allows(address("0.0.0.0"))).isFalse();
        assertThat(open.allows(address("239.1.1.1"))).isFalse();
        assertThat(open.allows(address("255.255.255.255"))).isFalse();
        assertThat(open.allows(address("::"))).isFalse();
        assertThat(open.allows(address("ff02::1"))).isFalse();
    }

    @Test
    void refusedHostAddressesCanBeAllowedBack() {
        PeerPolicy policy = PeerPolicy.permissive().refusing(List.of(Cidr.host(address("203.0.113.9"))));

        assertThat(policy.allows(address("203.0.113.9"))).isFalse();
        assertThat(policy.allows(address("203.0.113.10"))).isTrue();
        assertThat(policy.allowing(List.of(Cidr.parse("203.0.113.0/24"))).allows(address("203.0.113.9"))).isTrue();
    }

    @Test
    void mappedAndPlainIpv4AreDecidedAlikeForRandomAddresses() throws UnknownHostException {
        PeerPolicy policy = PeerPolicy.defaults().allowing(List.of(Cidr.parse("10.128.0.0/9")));
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 10_000; i++) {
            byte[] v4 = new byte[4];
            random.nextBytes(v4);
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(v4, 0, mapped, 12, 4);
            assertThat(Inet6Address.getByAddress(null, mapped, -1)).isInstanceOf(Inet6Address.class);
            assertThat(policy.allows(mapped, 16)).as("%s", java.util.Arrays.toString(v4))
                    .isEqualTo(policy.allows(v4, 4));
        }
    }

    @Test
    void decisionsMatchAReferenceModelForRandomRangesAndAddresses() throws UnknownHostException {
        SplittableRandom random = new SplittableRandom(8489);
        for (int round = 0; round < 200; round++) {
            List<Cidr> refused = randomCidrs(random, 1 + random.nextInt(12));
            List<Cidr> allowed = randomCidrs(random, random.nextInt(4));
            PeerPolicy policy = PeerPolicy.permissive().refusing(refused).allowing(allowed);
            for (int i = 0; i < 200; i++) {
                Cidr near = refused.get(random.nextInt(refused.size()));
                byte[] address = near.address().getAddress();
                int flips = random.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    int bit = random.nextInt(address.length * 8);
                    address[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
                }
                java.net.InetAddress peer = java.net.InetAddress.getByAddress(address);
                boolean expected = !inAny(PeerPolicy.NEVER, peer) && (!inAny(refused, peer) || inAny(allowed, peer));
                assertThat(policy.allows(address, address.length)).as("%s in %s / %s", peer, refused, allowed)
                        .isEqualTo(expected);
            }
        }
    }

    private static List<Cidr> randomCidrs(SplittableRandom random, int count) throws UnknownHostException {
        List<Cidr> cidrs = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[random.nextBoolean() ? 4 : 16];
            random.nextBytes(bytes);
            int prefix = random.nextInt(bytes.length * 8 + 1);
            java.math.BigInteger mask = java.math.BigInteger.ONE.shiftLeft(bytes.length * 8).subtract(
                    java.math.BigInteger.ONE.shiftLeft(bytes.length * 8 - prefix));
            byte[] masked = toBytes(new java.math.BigInteger(1, bytes).and(mask), bytes.length);
            java.net.InetAddress address = java.net.InetAddress.getByAddress(masked);
            if (address.getAddress().length == bytes.length) {
                cidrs.add(new Cidr(address, prefix));
            }
        }
        if (cidrs.isEmpty()) {
            cidrs.add(Cidr.parse("198.18.0.0/15"));
        }
        return cidrs;
    }

    /** The reference: compare prefixes as big integers, IPv4 against IPv4 ranges only. */
    private static boolean inAny(List<Cidr> cidrs, java.net.InetAddress peer) {
        byte[] bytes = peer.getAddress();
        for (Cidr cidr : cidrs) {
            byte[] base = cidr.address().getAddress();
            if (base.length != bytes.length) {
                continue;
            }
            int shift = bytes.length * 8 - cidr.prefixLength();
            if (new java.math.BigInteger(1, bytes).shiftRight(shift).equals(new java.math.BigInteger(1, base)
                    .shiftRight(shift))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] toBytes(java.math.BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    @Test
    void otherAddressLengthsAreRefused() {
        assertThat(PeerPolicy.permissive().allows(new byte[16], 0)).isFalse();
        assertThat(PeerPolicy.permissive().allows(new byte[16], 8)).isFalse();
    }

    @Test
    void cidrParsingRefusesNamesBadPrefixesAndHostBits() {
        assertThat(Cidr.parse("10.0.0.0/8")).isEqualTo(new Cidr(address("10.0.0.0"), 8));
        assertThat(Cidr.parse("fd00::1")).isEqualTo(new Cidr(address("fd00::1"), 128));
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("ADDRESS/PREFIX");
        assertThatThrownBy(() -> Cidr.parse("beef")).hasMessageContaining("ADDRESS/PREFIX");
        assertThatThrownBy(() -> Cidr.parse("dead.beef/16")).hasMessageContaining("ADDRESS/PREFIX");
        assertThatThrownBy(() -> Cidr.parse("1.2.3.4.5")).hasMessageContaining("ADDRESS/PREFIX");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0-32");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("not a number");
    }
}
