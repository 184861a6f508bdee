package zonegate.packet;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Arbitrary bytes never make the parser, a getter, a rewrite or a builder throw. In regression mode
 * (the default) these replay the seed corpora under
 * {@code src/test/resources/zonegate/packet/PacketParserFuzzTestInputs/<method>/}; run with
 * {@code JAZZER_FUZZ=1} to fuzz.
 */
class PacketParserFuzzTest {
    private final PacketParser parser = new PacketParser();
    private final ByteBuffer scratch = ByteBuffer.allocate(2048);

    @FuzzTest(maxDuration = "30s")
    void parsesArbitraryBytesWithoutThrowing(byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        if (parser.parse(buffer, 0, data.length) instanceof ParseResult.Parsed(IpPacket packet)) {
            readEverything(packet);
            if (packet.quoted() != null) {
                readEverything(packet.quoted());
            }
            IcmpWriter.writeError(packet, IcmpError.PACKET_TOO_BIG, 1280, scratch, 0, scratch.capacity());
            IcmpWriter.writeEchoReply(packet, scratch, 0, scratch.capacity());
        }
    }

    @FuzzTest(maxDuration = "30s")
    void rewritesWhateverParsesWithoutThrowing(FuzzedDataProvider data) {
        int address = data.consumeInt();
        long high = data.consumeLong();
        int port = data.consumeInt(0, 65535);
        int hops = data.consumeInt(0, 255);
        byte[] bytes = data.consumeRemainingAsBytes();
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 3).put(3, bytes);
        if (!(parser.parse(buffer, 3, bytes.length) instanceof ParseResult.Parsed(IpPacket packet))) {
            return;
        }
        rewrite(packet, address, high, port, hops);
        IpPacket quoted = packet.quoted();
        if (quoted != null) {
            rewrite(quoted, address, high, port, hops);
            readEverything(quoted);
        }
        packet.updateChecksums();
        if (!packet.hasValidChecksums()) {
            throw new AssertionError("checksums invalid right after updateChecksums");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void transportViewsReadArbitraryBytesWithoutThrowing(byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        TcpView tcp = new TcpView().wrap(buffer, 0, data.length);
        UdpView udp = new UdpView().wrap(buffer, 0, data.length);
        Icmpv4View icmp = new Icmpv4View().wrap(buffer, 0, data.length);
        Icmpv6View icmp6 = new Icmpv6View().wrap(buffer, 0, data.length);
        long sink = tcp.sourcePort() + tcp.destinationPort() + tcp.sequenceNumber() + tcp.acknowledgmentNumber()
                + tcp.headerLengthBytes() + tcp.flags() + tcp.window() + tcp.checksum() + tcp.urgentPointer()
                + tcp.payloadOffset() + udp.sourcePort() + udp.datagramLengthBytes() + udp.checksum()
                + udp.payloadLengthBytes() + icmp.type() + icmp.code() + icmp.identifier() + icmp.sequence()
                + icmp.nextHopMtuBytes() + icmp6.mtuBytes() + icmp6.checksum();
        tcp.setDestinationPort((int) sink & 0xFFFF);
        udp.setSourcePort(53);
        icmp.setIdentifier(7);
        icmp6.setSequence(9);
        if (data.length >= 8) {
            icmp.updateChecksum();
        }
    }

    private static void rewrite(IpPacket packet, int address, long high, int port, int hops) {
        if (packet.version() == 4) {
            packet.ipv4().setSource(address);
            packet.ipv4().setDestination(~address);
            packet.ipv4().setDscp(hops);
            packet.ipv4().setEcn(hops);
        } else {
            packet.ipv6().setSource(high, address);
            packet.ipv6().setDestination(~high, address);
            packet.ipv6().setTrafficClass(hops);
        }
        packet.setHopLimit(hops);
        packet.setSourcePort(port);
        packet.setDestinationPort(port ^ 0xFFFF);
        if (packet.icmpv4() != null) {
            packet.icmpv4().setIdentifier(port);
        }
        if (packet.icmpv6() != null) {
            packet.icmpv6().setIdentifier(port);
        }
    }

    private static long readEverything(IpPacket p) {
        long sink = p.version() + p.protocol() + p.fragment().ordinal() + p.lengthBytes() + p.transportOffset()
                + p.transportLengthBytes() + p.sourcePort() + p.destinationPort() + p.hopLimit()
                + p.computeTransportChecksum() + p.pseudoHeaderSum() + (p.hasValidChecksums() ? 1 : 0);
        byte[] address = new byte[16];
        if (p.ipv4() != null) {
            Ipv4View ip = p.ipv4();
            sink += ip.headerLengthBytes() + ip.trafficClass() + ip.totalLengthBytes() + ip.identification()
                    + ip.fragmentOffsetBytes() + ip.ttl() + ip.headerChecksum() + ip.source() + ip.destination()
                    + ip.optionsLengthBytes() + ip.payloadLengthBytes() + ip.computeHeaderChecksum()
                    + ip.sourceAddress().hashCode() + ip.destinationAddress().hashCode();
            ip.copySource(address, 0);
            ip.copyDestination(address, 4);
        } else {
            Ipv6View ip = p.ipv6();
            sink += ip.trafficClass() + ip.flowLabel() + ip.payloadLengthBytes() + ip.nextHeader() + ip.hopLimit()
                    + ip.sourceHigh() + ip.destinationLow() + ip.upperLayerProtocol() + ip.extensionHeadersLengthBytes()
                    + ip.fragmentOffsetBytes() + ip.fragmentIdentification() + ip.sourceAddress().hashCode()
                    + ip.destinationAddress().hashCode();
            ip.copySource(address, 0);
        }
        if (p.tcp() != null) {
            sink += p.tcp().sequenceNumber() + p.tcp().flags() + p.tcp().window() + p.tcp().checksum();
        }
        if (p.udp() != null) {
            sink += p.udp().checksum() + p.udp().payloadLengthBytes();
        }
        if (p.icmpv4() != null) {
            sink += p.icmpv4().type() + p.icmpv4().identifier() + p.icmpv4().nextHopMtuBytes();
        }
        if (p.icmpv6() != null) {
            sink += p.icmpv6().type() + p.icmpv6().mtuBytes();
        }
        return sink;
    }
}
