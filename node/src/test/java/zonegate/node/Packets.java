package zonegate.node;

import java.nio.ByteBuffer;

/** IP packets for tests. */
final class Packets {
    private Packets() {
    }

    /** An IPv4/UDP packet of {@code totalBytes} from 100.64.0.2 to 10.0.0.1 whose payload starts with {@code seq}. */
    static byte[] ipv4(int seq, int totalBytes) {
        ByteBuffer b = ByteBuffer.allocate(totalBytes);
        b.put((byte) 0x45).put((byte) 0).putShort((short) totalBytes).putInt(0).put((byte) 64).put((byte) 17)
                .putShort((short) 0).put(new byte[] {100, 64, 0, 2}).put(new byte[] {10, 0, 0, 1});
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += b.getShort(i) & 0xFFFF;
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        b.putShort(10, (short) ~((sum & 0xFFFF) + (sum >>> 16)));
        b.putShort(20, (short) 40000).putShort(22, (short) 53).putShort(24, (short) (totalBytes - 20)).putShort(26, (short) 0);
        b.putInt(28, seq);
        return b.array();
    }

    /** The sequence number {@link #ipv4} put in. */
    static int seq(byte[] packet) {
        return ByteBuffer.wrap(packet).getInt(28);
    }
}
