package jp.senbetsu.capture.source;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.file.PacketHandler;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Receives a mirror feed that a packet broker sends encapsulated in UDP (VXLAN or Geneve) with Netty's native
 * epoll transport, strips the encapsulation and hands each inner Ethernet frame, in place, to a
 * {@link PacketHandler}. Frames are timestamped on receipt with a nanosecond wall clock derived from
 * {@link System#nanoTime()} so no clock object is made per frame.
 *
 * <p>Netty itself makes one short-lived {@code DatagramPacket} per datagram; the frame bytes stay in Netty's pooled
 * direct buffer and are read through a reused {@link UnsafeBuffer}. Malformed encapsulation headers are counted
 * and dropped, never delivered.
 */
public final class MirrorReceiver implements AutoCloseable
{
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int VXLAN_HEADER_LENGTH = 8;
    private static final int VXLAN_FLAG_VNI_VALID = 0x08;
    private static final int GENEVE_HEADER_LENGTH = 8;
    private static final int GENEVE_PROTOCOL_ETHERNET = 0x6558;

    private final MirrorReceiverConfiguration configuration;
    private final PacketHandler handler;
    private final EventLoopGroup group;
    private final Channel channel;
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final long epochOffsetNs;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();

    /**
     * Binds the socket and starts receiving on one event-loop thread.
     *
     * @throws SenbetsuException naming the address and port when they cannot be bound, or when epoll is unavailable.
     */
    public MirrorReceiver(final MirrorReceiverConfiguration configuration, final PacketHandler handler)
    {
        if (!Epoll.isAvailable())
        {
            throw new SenbetsuException("mirror receiver needs Linux epoll: " + Epoll.unavailabilityCause());
        }
        this.configuration = configuration;
        this.handler = handler;
        this.epochOffsetNs = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        final Bootstrap bootstrap = new Bootstrap()
            .group(group)
            .channel(EpollDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, configuration.receiveBuffer())
            .handler(new FrameHandler());
        try
        {
            channel = bootstrap.bind(configuration.bindAddress(), configuration.port()).sync().channel();
        }
        catch (final Exception e)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new SenbetsuException("mirror receiver cannot listen on " + configuration.bindAddress() + ":"
                + configuration.port() + "/udp: " + e.getMessage(), e);
        }
    }

    /** The port actually bound (useful when configured as 0). */
    public int port()
    {
        return ((InetSocketAddress)channel.localAddress()).getPort();
    }

    /** Inner frames delivered. */
    public long frames()
    {
        return frames.get();
    }

    /** Datagrams dropped because their encapsulation header was short or invalid. */
    public long malformed()
    {
        return malformed.get();
    }

    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
        // the socket is closed already: no quiet period is needed to let in-flight work finish
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void onDatagram(final ByteBuf content)
    {
        final int readable = content.readableBytes();
        final int start = content.readerIndex();
        final int headerLength = encapsulationLength(content, start, readable);
        if (headerLength < 0 || readable - headerLength < 14)
        {
            malformed.incrementAndGet();
            return;
        }
        final int length = readable - headerLength;
        if (content.hasMemoryAddress())
        {
            frame.wrap(content.memoryAddress() + start + headerLength, length);
        }
        else
        {
            // heap fallback (no Unsafe): Netty still gives a backing array
            frame.wrap(content.array(), content.arrayOffset() + start + headerLength, length);
        }
        frames.incrementAndGet();
        handler.onPacket(configuration.interfaceIndex(), LINKTYPE_ETHERNET, epochOffsetNs + System.nanoTime(),
            length, frame, 0, length);
    }

    /** Length of the encapsulation header at the front of the datagram, or -1 if it is not a valid one. */
    private int encapsulationLength(final ByteBuf content, final int start, final int readable)
    {
        return switch (configuration.encapsulation())
        {
            case VXLAN ->
                readable >= VXLAN_HEADER_LENGTH && (content.getByte(start) & VXLAN_FLAG_VNI_VALID) != 0 ?
                    VXLAN_HEADER_LENGTH : -1;
            case GENEVE ->
            {
                if (readable < GENEVE_HEADER_LENGTH)
                {
                    yield -1;
                }
                final int first = content.getUnsignedByte(start);
                final int version = first >>> 6;
                final int optionsLength = (first & 0x3F) * 4;
                final int protocol = content.getUnsignedShort(start + 2);
                yield version == 0 && protocol == GENEVE_PROTOCOL_ETHERNET
                    && readable >= GENEVE_HEADER_LENGTH + optionsLength ? GENEVE_HEADER_LENGTH + optionsLength : -1;
            }
        };
    }

    private final class FrameHandler extends SimpleChannelInboundHandler<DatagramPacket>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
        {
            onDatagram(packet.content());
        }
    }
}
