package jp.senbetsu.capture.decode;

import java.lang.reflect.Field;

import jp.senbetsu.capture.record.MachineInfoRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The layer decoders read a packet through a view of exactly its readable bytes, so a read past them is refused
 * by the view's bounds check even where the packet's buffer goes on (a mapped capture file, a ring slot).
 */
class PacketViewTest
{
    @Test
    void theDecodersSeeExactlyThePacketsReadableBytes() throws Exception
    {
        final PacketDecoder decoder = new PacketDecoder(new DecoderConfiguration().snaplen(96), new DecodeCounters());
        final CapturedPackets.Packet p = CapturedPackets.packet("zeek_vxlan-triple-v2.pcap", 1);
        final byte[] file = new byte[1000];
        System.arraycopy(p.bytes(), 0, file, 300, p.bytes().length);
        final UnsafeBuffer buffer = new UnsafeBuffer(file);
        final MachineInfoRecord record = new MachineInfoRecord().wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);

        decoder.decode(1, p.linkType(), 7, p.wireLength(), buffer, 300, p.bytes().length, record);
        final UnsafeBuffer view = view(decoder);
        assertEquals(96, view.capacity(), "captured bytes cut to the snaplen");
        assertEquals(buffer.addressOffset() + 300, view.addressOffset());

        decoder.decode(1, p.linkType(), 7, p.wireLength(), buffer, 300, 20, record);
        assertEquals(20, view(decoder).capacity(), "a short capture: its captured length");
        assertNotEquals(DecodeStatus.OK.code(), record.status());
    }

    @Test
    void anOffsetAtOrPastTheBuffersEndIsAnEmptyPacketAndTheRecordKeepsNothingOfTheLastOne() throws Exception
    {
        final PacketDecoder decoder = new PacketDecoder();
        final CapturedPackets.Packet p = CapturedPackets.packet("zeek_vxlan-triple-v2.pcap", 1);
        final MachineInfoRecord record = new MachineInfoRecord().wrap(new UnsafeBuffer(new byte[MachineInfoRecord.LENGTH]), 0);
        decoder.decode(1, p.linkType(), 7, p.wireLength(), new UnsafeBuffer(p.bytes()), 0, p.bytes().length, record);
        assertNotEquals(0, record.presence(), "the first packet decoded");

        final UnsafeBuffer small = new UnsafeBuffer(new byte[64]);
        for (final int offset : new int[] {64, 65, 1_000})
        {
            final DecodeStatus status = decoder.decode(1, p.linkType(), 8, 60, small, offset, 60, record);
            assertEquals(0, view(decoder).capacity());
            assertEquals(status.code(), record.status());
            assertNotEquals(DecodeStatus.OK, status);
            assertEquals(0, record.presence(), "nothing of the previous packet at offset " + offset);
            assertEquals(8, record.timestampNs());
        }
    }

    private static UnsafeBuffer view(final PacketDecoder decoder) throws ReflectiveOperationException
    {
        final Field frame = PacketDecoder.class.getDeclaredField("frame");
        frame.setAccessible(true);
        return (UnsafeBuffer)frame.get(decoder);
    }
}
