package jp.senbetsu.selector.table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.selector.trie.Cidr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real APNIC report of 2010-12-17 (see ../shared/rir/README.md): every JP entry must end up domestic. */
class RealDelegatedFileTest
{
    private static Path file;

    @BeforeAll
    static void locate()
    {
        final String shared = System.getProperty("senbetsu.shared");
        Assumptions.assumeTrue(shared != null, "system property senbetsu.shared is not set");
        file = Path.of(shared, "rir", "delegated-apnic-20101217.txt");
        Assumptions.assumeTrue(Files.isReadable(file), "shared RIR file absent: " + file);
    }

    @Test
    void everyJapaneseEntryIsDomesticAtBothEndsAndCountsMatchTheFile(@TempDir final Path dir) throws Exception
    {
        final DomesticTableBuilder builder = new DomesticTableBuilder("JP").addDelegated(file);
        final DomesticTable table = builder.build();
        assertEquals(2392, builder.delegatedCounts().domesticIpv4Entries);
        assertEquals(311, builder.delegatedCounts().domesticIpv6Entries);

        final List<String> lines = Files.readAllLines(file).stream()
            .filter(l -> l.startsWith("apnic|") && (l.contains("|ipv4|") || l.contains("|ipv6|")) &&
                (l.endsWith("|allocated") || l.endsWith("|assigned")))
            .toList();
        int checked = 0;
        for (final String line : lines)
        {
            final String[] f = line.split("\\|");
            final int expected = "JP".equals(f[1]) ? AddressClass.DOMESTIC : AddressClass.FOREIGN;
            final Cidr first;
            final long lastHi;
            final long lastLo;
            if ("ipv4".equals(f[2]))
            {
                first = Cidr.parse(f[3]);
                final long last = (first.hi() >>> 32) + Long.parseLong(f[4]) - 1;
                lastHi = last << 32;
                lastLo = 0;
            }
            else
            {
                first = Cidr.parse(f[3] + "/" + f[4]);
                lastHi = first.endHi();
                lastLo = first.endLo();
            }
            if (inSpecialPurpose(first))
            {
                continue;
            }
            assertEquals(expected, table.addressClass(table.trie(first.family()).lookup(first.hi(), first.lo())), line);
            assertEquals(expected, table.addressClass(table.trie(first.family()).lookup(lastHi, lastLo)), line);
            checked++;
        }
        assertTrue(checked > 15_000, "checked " + checked);

        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
        buffer.putBytes(0, java.net.InetAddress.ofLiteral("133.11.0.1").getAddress());     // JP (University of Tokyo)
        buffer.putBytes(16, java.net.InetAddress.ofLiteral("1.12.0.1").getAddress());      // CN
        assertEquals(Category.DOMESTIC_FOREIGN.code(), table.classify(4, buffer, 0, 16));

        final Path compiled = dir.resolve("apnic.sbdt");
        DomesticTableFile.write(table, compiled);
        assertEquals(table.versionHex(), DomesticTableFile.read(compiled).versionHex());
    }

    private static boolean inSpecialPurpose(final Cidr cidr)
    {
        return SpecialPurposeRanges.RANGES.stream().map(r -> Cidr.parse(r[0])).anyMatch(s -> s.contains(cidr));
    }
}
