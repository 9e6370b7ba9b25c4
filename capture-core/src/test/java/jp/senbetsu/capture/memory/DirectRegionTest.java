package jp.senbetsu.capture.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Confidential regions as the kernel sees them: {@code /proc/self/smaps} lists each mapping's flags. */
class DirectRegionTest
{
    private static final Path SMAPS = Path.of("/proc/self/smaps");

    @Test
    void aConfidentialRegionIsLeftOutOfCoreDumpsAndLockedWhenTheLimitAllows() throws IOException
    {
        assumeTrue(Files.isReadable(SMAPS), "needs Linux /proc/self/smaps");
        try (DirectRegion region = new DirectRegion(64 * 1024, true);
            DirectRegion ordinary = new DirectRegion(64 * 1024))
        {
            assumeTrue(region.excludedFromDumps(), "no native access to madvise in this JVM");
            final String flags = vmFlags(region.buffer().addressOffset());
            assertTrue(flags.contains(" dd"), "MADV_DONTDUMP in VmFlags:" + flags);
            assertEquals(region.locked(), flags.contains(" lo"), "locked() agrees with the kernel: " + flags);
            assertEquals(0, region.buffer().getLong(64 * 1024 - 8), "zeroed");
            assertFalse(ordinary.excludedFromDumps());
            assertFalse(ordinary.locked());
        }
    }

    @Test
    void aLargeConfidentialRegionKeepsItsHugePagesAndIsLeftOutOfCoreDumps() throws IOException
    {
        assumeTrue(Files.isReadable(SMAPS), "needs Linux /proc/self/smaps");
        try (DirectRegion region = new DirectRegion(DirectRegion.HUGE_PAGE_THRESHOLD, true))
        {
            assumeTrue(region.excludedFromDumps(), "no native access to madvise in this JVM");
            assertTrue(region.hugePages());
            assertEquals(0, region.buffer().addressOffset() % DirectRegion.HUGE_PAGE);
            final String flags = vmFlags(region.buffer().addressOffset());
            assertTrue(flags.contains(" dd"), "MADV_DONTDUMP in VmFlags:" + flags);
            assertTrue(flags.contains(" hg"), "MADV_HUGEPAGE in VmFlags:" + flags);
        }
    }

    @Test
    void aRegionFaultedOnDemandBecomesResidentOnlyAsItIsWrittenAndReadsAsZeros() throws IOException
    {
        assumeTrue(Files.isReadable(SMAPS), "needs Linux /proc/self/smaps");
        final int length = 16 << 20;
        try (DirectRegion lazy = new DirectRegion(length, true, false);
            DirectRegion eager = new DirectRegion(length, true, true))
        {
            assumeTrue(lazy.excludedFromDumps(), "no native access to madvise in this JVM");
            final long lazyAddress = lazy.buffer().addressOffset();
            assertTrue(field(lazyAddress, "Rss:") < length / 4, "nothing written yet, so (almost) nothing resident");
            assertTrue(field(eager.buffer().addressOffset(), "Rss:") >= length, "prefaulted: all resident");
            assertTrue(vmFlags(lazyAddress).contains(" dd"), "still left out of core dumps");
            assertEquals(lazy.locked(), vmFlags(lazyAddress).contains(" lo"), "locked() agrees with the kernel");
            for (int page = 0; page < length; page += 4096)
            {
                assertEquals(0, lazy.buffer().getLong(page), "reads as zeros");
                lazy.buffer().putLong(page, page);
            }
            assertTrue(field(lazyAddress, "Rss:") >= length, "every page written is resident");
            assertEquals(length - 4096, lazy.buffer().getLong(length - 4096));
        }
    }

    /** A size field ({@code Rss:}, in bytes) of the mapping holding {@code address}. */
    private static long field(final long address, final String name) throws IOException
    {
        final String value = mappingLine(address, name).trim();
        return Long.parseLong(value.substring(0, value.indexOf(' '))) * 1024;
    }

    /** The VmFlags line of the mapping holding {@code address}. */
    private static String vmFlags(final long address) throws IOException
    {
        return mappingLine(address, "VmFlags:");
    }

    /** What follows {@code name} on that line of the mapping holding {@code address}. */
    private static String mappingLine(final long address, final String name) throws IOException
    {
        final List<String> lines = Files.readAllLines(SMAPS);
        boolean inside = false;
        for (final String line : lines)
        {
            final int dash = line.indexOf('-');
            final int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(Character::isLetterOrDigit))
            {
                final long start = HexFormat.fromHexDigitsToLong(line.substring(0, dash));
                final long end = HexFormat.fromHexDigitsToLong(line.substring(dash + 1, space));
                inside = Long.compareUnsigned(start, address) <= 0 && Long.compareUnsigned(address, end) < 0;
            }
            else if (inside && line.startsWith(name))
            {
                return line.substring(name.length());
            }
        }
        throw new AssertionError("no mapping holds address " + Long.toHexString(address));
    }
}
