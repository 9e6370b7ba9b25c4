package jp.senbetsu.capture.source;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MirrorReceiverTest
{
    /** Sends to loopback only: the test never puts a datagram on a real network. */
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void stripsVxlanAndDeliversInnerFramesDroppingMalformedHeaders() throws Exception
    {
        final List<int[]> frames = new CopyOnWriteArrayList<>();
        final long before = System.currentTimeMillis() * 1_000_000L;
        final MirrorReceiverConfiguration configuration = new MirrorReceiverConfiguration(
            LOOPBACK.getHostAddress(), 0, MirrorEncapsulation.VXLAN, 7, 1 << 20);
        try (MirrorReceiver receiver = new MirrorReceiver(configuration,
            (interfaceIndex, linkType, timestampNs, wireLength, buffer, offset, capturedLength) ->
                frames.add(new int[] { interfaceIndex, linkType, wireLength, capturedLength,
                    buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF, timestampNs >= before ? 1 : 0 }));
            DatagramSocket socket = new DatagramSocket(0, LOOPBACK))
        {
            for (int i = 0; i < 50; i++)
            {
                send(socket, receiver.port(), vxlan(0x08, 5000 + i, innerFrame(60 + i)));
            }
            send(socket, receiver.port(), vxlan(0x00, 1, innerFrame(60)));   // I flag clear: not a valid VNI
            send(socket, receiver.port(), new byte[] { 0x08, 0, 0 });           // shorter than the header
            send(socket, receiver.port(), vxlan(0x08, 2, new byte[6]));        // inner frame shorter than Ethernet
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while ((frames.size() < 50 || receiver.malformed() < 3) && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertEquals(3, receiver.malformed(), "malformed encapsulations counted");
            assertEquals(50, receiver.frames());
        }
        assertEquals(50, frames.size());
        for (int i = 0; i < 50; i++)
        {
            final int[] frame = frames.get(i);
            assertEquals(7, frame[0]);
            assertEquals(1, frame[1], "inner frames are Ethernet");
            assertEquals(60 + i, frame[2]);
            assertEquals(60 + i, frame[3]);
            assertEquals(0x0800, frame[4], "EtherType of the inner frame, not of the VXLAN header");
            assertEquals(1, frame[5]);
        }
    }

    @Test
    void stripsGeneveWithOptions() throws Exception
    {
        final List<Integer> lengths = new CopyOnWriteArrayList<>();
        final MirrorReceiverConfiguration configuration = new MirrorReceiverConfiguration(
            LOOPBACK.getHostAddress(), 0, MirrorEncapsulation.GENEVE, 0, 1 << 20);
        try (MirrorReceiver receiver = new MirrorReceiver(configuration,
            (i, l, t, wireLength, buffer, offset, c) -> lengths.add(wireLength));
            DatagramSocket socket = new DatagramSocket(0, LOOPBACK))
        {
            final byte[] inner = innerFrame(100);
            final ByteBuffer geneve = ByteBuffer.allocate(8 + 8 + inner.length);
            geneve.put((byte)2).put((byte)0).putShort((short)0x6558).putInt(42 << 8); // 2 option words
            geneve.putLong(0x0102030405060708L).put(inner);
            send(socket, receiver.port(), geneve.array());
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (lengths.isEmpty() && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertEquals(List.of(100), lengths);
            assertEquals(0, receiver.malformed());
        }
    }

    private static void send(final DatagramSocket socket, final int port, final byte[] data) throws Exception
    {
        socket.send(new DatagramPacket(data, data.length, LOOPBACK, port));
    }

    private static byte[] vxlan(final int flags, final int vni, final byte[] inner)
    {
        return ByteBuffer.allocate(8 + inner.length).put((byte)flags).put(new byte[3]).putInt(vni << 8).put(inner)
            .array();
    }

    private static byte[] innerFrame(final int length)
    {
        final ByteBuffer frame = ByteBuffer.allocate(length);
        frame.put(new byte[12]).putShort((short)0x0800).put((byte)0x45);
        return frame.array();
    }
}
