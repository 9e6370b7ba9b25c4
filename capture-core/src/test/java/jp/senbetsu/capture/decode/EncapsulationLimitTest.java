package jp.senbetsu.capture.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.junit.jupiter.api.Test;

/**
 * The nesting limits stop encapsulation bombs: 50 nested 802.1ah frames (zeek_pbb-recursive-frames), a chain of
 * MPLS pseudowires (suricata_decode-too-many-layers) and three VXLAN tunnels, each against a limit just below
 * and just at what the packet needs.
 */
class EncapsulationLimitTest
{
    @Test
    void nestedProviderBackboneFramesStopAtTheLayerLimit()
    {
        final CapturedPackets.Packet p = CapturedPackets.packet("zeek_pbb-recursive-frames.pcapng", 1);
        // 1 Ethernet + 50 PBB + IPv4 + UDP = 53 nested headers
        assertEquals(DecodeStatus.TOO_MANY_LAYERS, status(p, new DecoderConfiguration().maxLayers(52)));
        assertEquals(DecodeStatus.OK, status(p, new DecoderConfiguration().maxLayers(53)));
    }

    @Test
    void pseudowireChainStopsAtTheDefaultLimit()
    {
        final CapturedPackets.Packet p = CapturedPackets.packet("suricata_decode-too-many-layers.pcap", 1);
        final PacketDecoder decoder = new PacketDecoder();
        final MachineInfoRecord record = CapturedPackets.decode(decoder, p, p.bytes());
        assertEquals(DecodeStatus.TOO_MANY_LAYERS.code(), record.status());
        assertEquals(1, decoder.counters().count(DecodeStatus.TOO_MANY_LAYERS));
    }

    @Test
    void tunnelsBeyondTheLimitAreCountedNotFollowed()
    {
        final CapturedPackets.Packet p = CapturedPackets.packet("zeek_vxlan-triple-v2.pcap", 1);
        assertEquals(DecodeStatus.TOO_MANY_TUNNELS, status(p, new DecoderConfiguration().maxTunnels(2)));
        assertEquals(DecodeStatus.OK, status(p, new DecoderConfiguration().maxTunnels(3)));
    }

    private static DecodeStatus status(final CapturedPackets.Packet p, final DecoderConfiguration configuration)
    {
        final MachineInfoRecord record =
            CapturedPackets.decode(new PacketDecoder(configuration, new DecodeCounters()), p, p.bytes());
        return DecodeStatus.ofCode(record.status());
    }
}
