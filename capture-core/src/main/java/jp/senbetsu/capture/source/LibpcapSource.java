package jp.senbetsu.capture.source;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.file.PacketHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A live capture on one interface through libpcap, called directly with the FFM API. Runs as an Agrona
 * {@link Agent}: each duty cycle reads up to a batch of frames in non-blocking mode and hands each one, in place,
 * to a {@link PacketHandler} (normally the ring producer, which copies the header bytes and nothing more).
 *
 * <p>No allocation per packet: the packet and header pointers are read as raw addresses and wrapped by two
 * reused {@link UnsafeBuffer}s. Timestamps are requested with nanosecond precision; if the device cannot give
 * them the source falls back to microseconds and scales.
 */
public final class LibpcapSource implements Agent, AutoCloseable
{
    private final LibpcapBindings pcap;
    private final LibpcapSourceConfiguration configuration;
    private final PacketHandler handler;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment headerPointer;
    private final MemorySegment dataPointer;
    private final MemorySegment statistics;
    private final UnsafeBuffer header = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final MemorySegment handle;
    private final int linkType;
    private final long fractionToNanos;
    private long packets;
    private boolean closed;

    /**
     * Opens and activates the capture.
     *
     * @throws SenbetsuException naming the device and libpcap's reason when it cannot be opened (no such device,
     *                           no permission, bad filter).
     */
    public LibpcapSource(final LibpcapSourceConfiguration configuration, final PacketHandler handler)
    {
        this.pcap = LibpcapBindings.load();
        this.configuration = configuration;
        this.handler = handler;
        this.headerPointer = arena.allocate(ValueLayout.ADDRESS);
        this.dataPointer = arena.allocate(ValueLayout.ADDRESS);
        this.statistics = arena.allocate(LibpcapBindings.PCAP_STAT_SIZE, 8);
        final MemorySegment errbuf = arena.allocate(LibpcapBindings.ERRBUF_SIZE);
        final String device = configuration.device();
        try
        {
            handle = (MemorySegment)pcap.create.invokeExact(arena.allocateFrom(device), errbuf);
            if (handle.address() == 0)
            {
                throw new SenbetsuException("capture device '" + device + "': " + errbuf.getString(0));
            }
            check((int)pcap.setSnaplen.invokeExact(handle, configuration.snaplen()), "set snaplen");
            check((int)pcap.setPromisc.invokeExact(handle, configuration.promiscuous() ? 1 : 0), "set promiscuous");
            check((int)pcap.setTimeout.invokeExact(handle, 100), "set timeout");
            check((int)pcap.setBufferSize.invokeExact(handle, configuration.bufferBytes()), "set buffer size");
            check((int)pcap.setImmediateMode.invokeExact(handle, 1), "set immediate mode");
            final int precision = (int)pcap.setTstampPrecision.invokeExact(handle,
                LibpcapBindings.TSTAMP_PRECISION_NANO);
            fractionToNanos = precision == 0 ? 1 : 1000;
            final int activated = (int)pcap.activate.invokeExact(handle);
            if (activated < 0)
            {
                final String reason = activationFailure(activated);
                closeHandle();
                throw new SenbetsuException("capture device '" + device + "': " + reason);
            }
            if (!configuration.filter().isEmpty())
            {
                applyFilter(configuration.filter());
            }
            check((int)pcap.setnonblock.invokeExact(handle, 1, errbuf), "set non-blocking mode");
            linkType = (int)pcap.datalink.invokeExact(handle);
        }
        catch (final SenbetsuException e)
        {
            arena.close();
            throw e;
        }
        catch (final Throwable t)
        {
            arena.close();
            throw new IllegalStateException("libpcap call failed on " + device, t);
        }
    }

    @Override
    public String roleName()
    {
        return "libpcap-" + configuration.device();
    }

    /** LINKTYPE_ of the device, e.g. 1 for Ethernet. */
    public int linkType()
    {
        return linkType;
    }

    /** Frames delivered to the handler so far. */
    public long packets()
    {
        return packets;
    }

    @Override
    public int doWork()
    {
        int work = 0;
        final int batch = configuration.batch();
        while (work < batch)
        {
            final int rc;
            try
            {
                rc = (int)pcap.nextEx.invokeExact(handle, headerPointer, dataPointer);
            }
            catch (final Throwable t)
            {
                throw new IllegalStateException("pcap_next_ex failed", t);
            }
            if (rc == 1)
            {
                deliver();
                work++;
            }
            else if (rc == 0)
            {
                break;
            }
            else
            {
                // the device is gone (unplugged, down, driver reset): end this agent instead of failing every cycle
                throw new AgentTerminationException(new SenbetsuException(
                    "capture device '" + configuration.device() + "' failed: " + lastError()));
            }
        }
        return work;
    }

    private void deliver()
    {
        header.wrap(headerPointer.get(ValueLayout.JAVA_LONG, 0), LibpcapBindings.PKTHDR_LENGTH);
        final long seconds = header.getLong(LibpcapBindings.PKTHDR_TV_SEC_OFFSET);
        final long fraction = header.getLong(LibpcapBindings.PKTHDR_TV_FRACTION_OFFSET);
        final int capturedLength = header.getInt(LibpcapBindings.PKTHDR_CAPLEN_OFFSET);
        final int wireLength = header.getInt(LibpcapBindings.PKTHDR_LEN_OFFSET);
        frame.wrap(dataPointer.get(ValueLayout.JAVA_LONG, 0), capturedLength);
        packets++;
        handler.onPacket(configuration.interfaceIndex(), linkType, seconds * 1_000_000_000L + fraction * fractionToNanos,
            wireLength, frame, 0, capturedLength);
    }

    /** Kernel statistics: {received, dropped by the kernel for lack of buffer, dropped by the interface}. */
    public long[] kernelStatistics()
    {
        try
        {
            if ((int)pcap.stats.invokeExact(handle, statistics) != 0)
            {
                return new long[] { -1, -1, -1 };
            }
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("pcap_stats failed", t);
        }
        return new long[] {
            Integer.toUnsignedLong(statistics.get(ValueLayout.JAVA_INT, 0)),
            Integer.toUnsignedLong(statistics.get(ValueLayout.JAVA_INT, 4)),
            Integer.toUnsignedLong(statistics.get(ValueLayout.JAVA_INT, 8)) };
    }

    @Override
    public void onClose()
    {
        close();
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            closeHandle();
            arena.close();
        }
    }

    private void applyFilter(final String expression) throws Throwable
    {
        final MemorySegment program = arena.allocate(LibpcapBindings.BPF_PROGRAM_SIZE, 8);
        final int compiled = (int)pcap.compile.invokeExact(handle, program, arena.allocateFrom(expression), 1,
            LibpcapBindings.PCAP_NETMASK_UNKNOWN);
        if (compiled != 0)
        {
            final String reason = lastError();
            closeHandle();
            throw new SenbetsuException("BPF filter '" + expression + "' on '" + configuration.device()
                + "' rejected: " + reason, SenbetsuException.EXIT_USAGE, null);
        }
        final int set = (int)pcap.setfilter.invokeExact(handle, program);
        pcap.freecode.invokeExact(program);
        if (set != 0)
        {
            final String reason = lastError();
            closeHandle();
            throw new SenbetsuException("BPF filter on '" + configuration.device() + "' not applied: " + reason);
        }
    }

    private void check(final int rc, final String what)
    {
        if (rc != 0)
        {
            closeHandle();
            throw new SenbetsuException("capture device '" + configuration.device() + "': cannot " + what);
        }
    }

    private String activationFailure(final int rc)
    {
        return switch (rc)
        {
            case LibpcapBindings.ERROR_NO_SUCH_DEVICE -> "no such device";
            case LibpcapBindings.ERROR_PERM_DENIED, LibpcapBindings.ERROR_PROMISC_PERM_DENIED ->
                "permission denied (the service needs CAP_NET_RAW and CAP_NET_ADMIN)";
            case LibpcapBindings.ERROR_IFACE_NOT_UP -> "interface is down";
            default -> lastError();
        };
    }

    private String lastError()
    {
        try
        {
            final MemorySegment message = (MemorySegment)pcap.geterr.invokeExact(handle);
            return message.reinterpret(LibpcapBindings.ERRBUF_SIZE).getString(0);
        }
        catch (final Throwable t)
        {
            return "unknown libpcap error";
        }
    }

    private void closeHandle()
    {
        try
        {
            if (handle != null && handle.address() != 0)
            {
                pcap.close.invokeExact(handle);
            }
        }
        catch (final Throwable ignored)
        {
            // closing is best effort; the process is giving the device up either way
        }
    }
}
