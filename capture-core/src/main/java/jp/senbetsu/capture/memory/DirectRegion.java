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
 * FFM API), aligned to 2 MiB and marked {@code MADV_HUGEPAGE}, then touched page by page: a flow table that is
 * probed at random over hundreds of megabytes then costs one TLB entry per 2 MiB instead of per 4 KiB, and its
 * whole size is resident from the start, so memory does not move afterwards. Elsewhere, or if mapping fails, the
 * block is an ordinary direct {@link ByteBuffer}.
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
    private static final Native NATIVE = Native.load();

    private final ByteBuffer allocation;
    private final long mappedAddress;
    private final long mappedLength;
    private final UnsafeBuffer buffer;
    private boolean freed;

    /** @param length bytes, at most {@link Integer#MAX_VALUE} minus the alignment. */
    public DirectRegion(final long length)
    {
        if (length < 0 || length > Integer.MAX_VALUE - ALIGNMENT)
        {
            throw new IllegalArgumentException("direct region of " + length + " bytes is out of range");
        }
        long address = 0;
        long mapped = 0;
        if (length >= HUGE_PAGE_THRESHOLD && NATIVE != null)
        {
            mapped = length + HUGE_PAGE;
            address = NATIVE.map(mapped);
        }
        if (address != 0)
        {
            allocation = null;
            mappedAddress = address;
            mappedLength = mapped;
            final long aligned = (address + HUGE_PAGE - 1) & -HUGE_PAGE;
            NATIVE.adviseHugePages(aligned, length);
            buffer = new UnsafeBuffer(aligned, (int)length);
            for (long page = 0; page < length; page += 4096)
            {
                buffer.putByte((int)page, (byte)0);
            }
        }
        else
        {
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
        return length >= HUGE_PAGE_THRESHOLD && NATIVE != null ? length + HUGE_PAGE : length + ALIGNMENT;
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
        return allocation == null;
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

    /** mmap, munmap and madvise from the C library, or nothing where they cannot be found. */
    private record Native(MethodHandle mmap, MethodHandle munmap, MethodHandle madvise)
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
                if (mmap.isEmpty() || munmap.isEmpty() || madvise.isEmpty())
                {
                    return null;
                }
                return new Native(
                    linker.downcallHandle(mmap.get(), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)),
                    linker.downcallHandle(munmap.get(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG)),
                    linker.downcallHandle(madvise.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)));
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
