package jp.senbetsu.capture.memory;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.Optional;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A block of zeroed, cache-line-aligned memory outside the Java heap that its owner frees deterministically with
 * {@link #close()}: the flow table, fragment table, ring slots and counters size their memory once at start and
 * give it back at shutdown, and nothing else ever grows.
 *
 * <p>On Linux, blocks of {@link #HUGE_PAGE_THRESHOLD} bytes or more are mapped directly ({@code mmap}, through the
 * FFM API), aligned to 2 MiB and marked {@code MADV_HUGEPAGE}: a flow table that is probed at random over hundreds
 * of megabytes then costs one TLB entry per 2 MiB instead of per 4 KiB. A <em>prefaulted</em> region (the
 * default) is then touched page by page, so its whole size is resident from the start and memory does not move
 * afterwards; a region faulted <em>on demand</em> gets its pages as they are first written, so a run that uses a
 * tenth of a large table pays for a tenth of it (the {@code senbetsu flows} lab tool, short runs). Elsewhere, or
 * if mapping fails, the block is an ordinary direct {@link ByteBuffer}, always fully resident.
 *
 * <p>A <em>confidential</em> region (ring slots, flow and fragment tables, the selection stage's copies of ended
 * flows: memory that holds packet headers or records that were not selected) is always mapped on Linux, whatever its size, marked {@code MADV_DONTDUMP} so that no core
 * dump contains it, and locked with {@code mlock} so that it is never written to swap. Locking is best effort:
 * without enough {@code RLIMIT_MEMLOCK} it fails, {@link #locked()} says so and the region works unlocked (the
 * appliance package raises the limit; see {@link #locked()}).
 */
public final class DirectRegion implements AutoCloseable
{
    /** Alignment of {@link #buffer()}'s first byte for ordinary blocks. */
    public static final int ALIGNMENT = 64;
    /** Blocks at least this large are mapped with transparent huge pages where the platform allows. */
    public static final long HUGE_PAGE_THRESHOLD = 4L << 20;
    /** The huge-page size the mapping is aligned to. */
    public static final long HUGE_PAGE = 2L << 20;

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;
    private static final int MADV_DONTDUMP = 16;
    private static final int MLOCK_ONFAULT = 1;
    private static final long PAGE = 4096;
    private static final Native NATIVE = Native.load();

    private final ByteBuffer allocation;
    private final long mappedAddress;
    private final long mappedLength;
    private final UnsafeBuffer buffer;
    private final boolean excludedFromDumps;
    private final boolean locked;
    private boolean freed;

    /** @param length bytes, at most {@link Integer#MAX_VALUE} minus the alignment. */
    public DirectRegion(final long length)
    {
        this(length, false);
    }

    /**
     * @param length       bytes, at most {@link Integer#MAX_VALUE} minus the alignment.
     * @param confidential whether the region will hold packet data or unselected records: kept out of core dumps
     *                     and locked in memory where the platform allows.
     */
    public DirectRegion(final long length, final boolean confidential)
    {
        this(length, confidential, true);
    }

    /**
     * @param length       bytes, at most {@link Integer#MAX_VALUE} minus the alignment.
     * @param confidential whether the region will hold packet data or unselected records: kept out of core dumps
     *                     and locked in memory where the platform allows.
     * @param prefault     whether every page is made resident now (true) or when first written (false; only
     *                     mapped regions can wait, an ordinary direct buffer is always resident).
     */
    public DirectRegion(final long length, final boolean confidential, final boolean prefault)
    {
        if (length < 0 || length > Integer.MAX_VALUE - ALIGNMENT)
        {
            throw new IllegalArgumentException("direct region of " + length + " bytes is out of range");
        }
        long address = 0;
        long mapped = 0;
        final boolean huge = length >= HUGE_PAGE_THRESHOLD;
        if ((huge || confidential) && NATIVE != null)
        {
            mapped = mappedLengthFor(length);
            address = NATIVE.map(mapped);
        }
        if (address != 0)
        {
            allocation = null;
            mappedAddress = address;
            mappedLength = mapped;
            final long aligned = huge ? (address + HUGE_PAGE - 1) & -HUGE_PAGE : address;
            if (huge)
            {
                NATIVE.adviseHugePages(aligned, length);
            }
            excludedFromDumps = confidential && NATIVE.advise(address, mapped, MADV_DONTDUMP);
            buffer = new UnsafeBuffer(aligned, (int)length);
            if (prefault)
            {
                for (long page = 0; page < length; page += PAGE)
                {
                    buffer.putByte((int)page, (byte)0);
                }
            }
            locked = confidential && NATIVE.lock(address, mapped, prefault);
        }
        else
        {
            excludedFromDumps = false;
            locked = false;
            mappedAddress = 0;
            mappedLength = 0;
            allocation = ByteBuffer.allocateDirect((int)length + ALIGNMENT);
            final long base = BufferUtil.address(allocation);
            final int skew = (int)(((base + ALIGNMENT - 1) & -ALIGNMENT) - base);
            buffer = new UnsafeBuffer(allocation, skew, (int)length);
            buffer.setMemory(0, (int)length, (byte)0);
        }
    }

    /** Bytes a region of {@code length} bytes reserves on this platform, slack included. */
    public static long reservedBytesFor(final long length)
    {
        return reservedBytesFor(length, false);
    }

    /** Bytes a region of {@code length} bytes reserves on this platform, slack included. */
    public static long reservedBytesFor(final long length, final boolean confidential)
    {
        return (length >= HUGE_PAGE_THRESHOLD || confidential) && NATIVE != null
            ? mappedLengthFor(length) : length + ALIGNMENT;
    }

    private static long mappedLengthFor(final long length)
    {
        return length >= HUGE_PAGE_THRESHOLD ? length + HUGE_PAGE : Math.max(PAGE, (length + PAGE - 1) & -PAGE);
    }

    /** Whether the region is marked to be left out of core dumps ({@code MADV_DONTDUMP}). */
    public boolean excludedFromDumps()
    {
        return excludedFromDumps;
    }

    /**
     * Whether the region is locked in memory ({@code mlock}) and so never swapped. False for regions that are not
     * confidential, off Linux, and where {@code RLIMIT_MEMLOCK} is too low (raise it, e.g. {@code LimitMEMLOCK}
     * in the systemd unit, for the ring and flow tables to be locked).
     */
    public boolean locked()
    {
        return locked;
    }

    /** The aligned memory. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Bytes reserved, including alignment slack. */
    public long reservedBytes()
    {
        return allocation != null ? allocation.capacity() : mappedLength;
    }

    /** Whether the block was mapped with huge pages requested. */
    public boolean hugePages()
    {
        return allocation == null && mappedLength >= HUGE_PAGE_THRESHOLD + HUGE_PAGE;
    }

    @Override
    public synchronized void close()
    {
        if (!freed)
        {
            freed = true;
            if (allocation != null)
            {
                BufferUtil.free(allocation);
            }
            else
            {
                NATIVE.unmap(mappedAddress, mappedLength);
            }
        }
    }

    /** mmap, munmap, madvise and mlock from the C library, or nothing where they cannot be found. */
    private record Native(
        MethodHandle mmap, MethodHandle munmap, MethodHandle madvise, MethodHandle mlock, MethodHandle mlock2)
    {
        static Native load()
        {
            try
            {
                if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux"))
                {
                    return null;
                }
                final Linker linker = Linker.nativeLinker();
                final Optional<MemorySegment> mmap = linker.defaultLookup().find("mmap");
                final Optional<MemorySegment> munmap = linker.defaultLookup().find("munmap");
                final Optional<MemorySegment> madvise = linker.defaultLookup().find("madvise");
                final Optional<MemorySegment> mlock = linker.defaultLookup().find("mlock");
                if (mmap.isEmpty() || munmap.isEmpty() || madvise.isEmpty() || mlock.isEmpty())
                {
                    return null;
                }
                // glibc 2.27 and later; without it a region faulted on demand is simply not locked
                final Optional<MemorySegment> mlock2 = linker.defaultLookup().find("mlock2");
                return new Native(
                    linker.downcallHandle(mmap.get(), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)),
                    linker.downcallHandle(munmap.get(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG)),
                    linker.downcallHandle(madvise.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)),
                    linker.downcallHandle(mlock.get(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG)),
                    mlock2.map(symbol -> linker.downcallHandle(symbol, FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)))
                        .orElse(null));
            }
            catch (final RuntimeException | LinkageError ex)
            {
                // no native access (e.g. without --enable-native-access): ordinary direct buffers
                return null;
            }
        }

        long map(final long length)
        {
            try
            {
                final long address = (long)mmap.invokeExact(0L, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
                return address == -1L ? 0 : address;
            }
            catch (final Throwable ex)
            {
                return 0;
            }
        }

        void adviseHugePages(final long address, final long length)
        {
            try
            {
                final long rounded = (length + HUGE_PAGE - 1) & -HUGE_PAGE;
                final int ignored = (int)madvise.invokeExact(address, rounded, MADV_HUGEPAGE);
            }
            catch (final Throwable ex)
            {
                // advice only: without huge pages the memory still works
            }
        }

        boolean advise(final long address, final long length, final int advice)
        {
            try
            {
                return (int)madvise.invokeExact(address, length, advice) == 0;
            }
            catch (final Throwable ex)
            {
                return false;
            }
        }

        boolean lock(final long address, final long length, final boolean now)
        {
            try
            {
                // fails with ENOMEM/EPERM when RLIMIT_MEMLOCK is too low: the caller continues unlocked
                if (now)
                {
                    return (int)mlock.invokeExact(address, length) == 0;
                }
                return mlock2 != null && (int)mlock2.invokeExact(address, length, MLOCK_ONFAULT) == 0;
            }
            catch (final Throwable ex)
            {
                return false;
            }
        }

        void unmap(final long address, final long length)
        {
            try
            {
                final int ignored = (int)munmap.invokeExact(address, length);
            }
            catch (final Throwable ex)
            {
                throw new IllegalStateException("munmap failed", ex);
            }
        }
    }
}
