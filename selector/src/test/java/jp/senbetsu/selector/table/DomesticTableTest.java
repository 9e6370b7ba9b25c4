package jp.senbetsu.selector.table;

import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jp.senbetsu.capture.classify.Category;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomesticTableTest
{
    private static final int D = AddressClass.DOMESTIC;
    private static final int F = AddressClass.FOREIGN;
    private static final int U = AddressClass.UNKNOWN;

    private static DomesticTable table;

    static Path resource(final String name)
    {
        try
        {
            return Path.of(DomesticTableTest.class.getResource("/table/" + name).toURI());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static DomesticTable testTable()
    {
        return new DomesticTableBuilder("JP")
            .addDelegated(resource("delegated-apnic-test.txt"))
            .addDelegated(resource("delegated-arin-test.txt"))
            .addOverrides(resource("overrides-test.txt"))
            .build();
    }

    @BeforeAll
    static void build()
    {
        table = testTable();
    }

    private static int classOf(final String address)
    {
        return table.addressClass(attributeOf(table, address));
    }

    static int attributeOf(final DomesticTable t, final String address)
    {
        try
        {
            final byte[] b = InetAddress.ofLiteral(address).getAddress();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
            buffer.putBytes(0, b);
            return t.attributeAt(b.length == 4 ? 4 : 6, buffer, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            throw ex;
        }
    }

    /** Asserts the class of the first and last address of a range and of its two neighbours outside it. */
    private static void assertRange(
        final String before, final String first, final String last, final String after,
        final int inside, final int beforeClass, final int afterClass)
    {
        assertEquals(beforeClass, classOf(before), before);
        assertEquals(inside, classOf(first), first);
        assertEquals(inside, classOf(last), last);
        assertEquals(afterClass, classOf(after), after);
    }

    @Test
    void powerOfTwoIpv4BlocksHaveExactBoundaries()
    {
        assertRange("0.255.255.255", "1.0.0.0", "1.0.0.255", "1.0.1.0", F, U, F);
        assertRange("1.0.15.255", "1.0.16.0", "1.0.31.255", "1.0.32.0", D, U, U);
        assertRange("1.10.255.255", "1.11.0.0", "1.11.255.255", "1.12.0.0", F, U, U);
        assertRange("132.255.255.255", "133.0.0.0", "133.0.255.255", "133.2.0.0", D, U, D);
        assertRange("133.255.255.254", "133.255.255.255", "133.255.255.255", "134.0.0.0", D, D, U);
        assertRange("8.8.7.255", "8.8.8.0", "8.8.8.255", "8.8.9.0", F, U, U);
        assertRange("60.31.255.255", "60.32.0.0", "60.47.255.255", "60.48.0.0", D, U, F);
    }

    @Test
    void nonPowerOfTwoIpv4CountsEndExactlyWhereTheCountSays()
    {
        // 768 hosts from 1.0.64.0: /23 + /24, ends at 1.0.66.255
        assertRange("1.0.63.255", "1.0.64.0", "1.0.66.255", "1.0.67.0", D, U, U);
        // 1000 hosts from 27.0.0.0 end at 27.0.3.231 (27.0.1.0/24 is carved out by an override)
        assertRange("26.255.255.255", "27.0.0.0", "27.0.0.255", "27.0.1.0", D, U, U);
        assertRange("27.0.1.255", "27.0.2.0", "27.0.3.231", "27.0.3.232", D, U, U);
        // 300 hosts from 202.0.65.0 end at 202.0.66.43; an IN block of 20 hosts follows directly
        assertRange("202.0.64.255", "202.0.65.0", "202.0.66.43", "202.0.66.44", D, U, F);
        assertRange("202.0.66.43", "202.0.66.44", "202.0.66.63", "202.0.66.64", F, D, U);
    }

    @Test
    void availableAndReservedEntriesStayUnknown()
    {
        assertEquals(U, classOf("1.0.128.0"));
        assertEquals(U, classOf("1.0.129.255"));
    }

    @Test
    void overridesBeatDelegatedEntriesAndSpecialPurposeBeatsEverything()
    {
        assertRange("1.0.1.127", "1.0.1.128", "1.0.1.255", "1.0.2.0", D, F, F);
        assertRange("133.0.255.255", "133.1.0.0", "133.1.255.255", "133.2.0.0", F, D, D);
        final int attribute = attributeOf(table, "133.1.2.3");
        assertEquals("US", CountryCode.unpack(table.country(attribute)));
        assertEquals(64500, table.asn(attribute));
        assertEquals("JP", CountryCode.unpack(table.country(attributeOf(table, "133.0.0.1"))));
        assertEquals("CN", CountryCode.unpack(table.country(attributeOf(table, "1.0.1.1"))));
        // the JP delegated 192.168.100.0/24 and the operator's 198.18.0.0/15 are special-purpose: unknown
        assertEquals(U, classOf("192.168.100.1"));
        assertEquals(U, classOf("198.18.0.0"));
        assertEquals(U, classOf("198.19.255.255"));
    }

    @Test
    void everySpecialPurposeRangeIsUnknownAtBothEnds()
    {
        for (final String[] range : SpecialPurposeRanges.RANGES)
        {
            final jp.senbetsu.selector.trie.Cidr cidr = jp.senbetsu.selector.trie.Cidr.parse(range[0]);
            assertEquals(U, table.addressClass(table.trie(cidr.family()).lookup(cidr.hi(), cidr.lo())), range[0]);
            assertEquals(U, table.addressClass(table.trie(cidr.family()).lookup(cidr.endHi(), cidr.endLo())),
                range[0] + " last address");
        }
    }

    @Test
    void ipv6BlocksHaveExactBoundaries()
    {
        assertRange("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:200::", "2001:200:1fff:ffff:ffff:ffff:ffff:ffff",
            "2001:200:2000::", D, U, U); // the address before is the last of 2001::/23, special-purpose
        assertRange("2400:1fff:ffff:ffff:ffff:ffff:ffff:ffff", "2400:2000::", "2400:2fff:ffff:ffff:ffff:ffff:ffff:ffff",
            "2400:3000::", D, U, U);
        assertRange("2400:31ff:ffff:ffff:ffff:ffff:ffff:ffff", "2400:3200::", "2400:3200:ff:ffff:ffff:ffff:ffff:ffff",
            "2400:3200:100::", F, U, D);
        assertRange("2400:3200:ff:ffff:ffff:ffff:ffff:ffff", "2400:3200:100::", "2400:3200:1ff:ffff:ffff:ffff:ffff:ffff",
            "2400:3200:200::", D, F, F);
        assertRange("2404:7a80:f:ffff:ffff:ffff:ffff:ffff", "2404:7a80:10::", "2404:7a80:10:ffff:ffff:ffff:ffff:ffff",
            "2404:7a80:11::", F, D, D);
        assertRange("25ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2600::", "260f:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "2610::", F, U, U);
        assertEquals(U, classOf("2001:db8:8000::1"));
        assertEquals(65001, table.asn(attributeOf(table, "2404:7a80:10::1")));
    }

    @Test
    void classifierPlacesEachDirectionInItsCategory()
    {
        assertEquals(Category.FOREIGN_FOREIGN.code(), classify("8.8.8.8", "1.0.1.1"));
        assertEquals(Category.FOREIGN_DOMESTIC.code(), classify("8.8.8.8", "133.0.0.1"));
        assertEquals(Category.DOMESTIC_FOREIGN.code(), classify("133.0.0.1", "8.8.8.8"));
        assertEquals(Category.DOMESTIC_DOMESTIC.code(), classify("133.0.0.1", "60.32.0.1"));
        assertEquals(Category.UNKNOWN.code(), classify("10.0.0.1", "8.8.8.8"));
        assertEquals(Category.UNKNOWN.code(), classify("133.0.0.1", "192.168.1.1"));
        assertEquals(Category.FOREIGN_DOMESTIC.code(), classify("2600::1", "2400:2000::1"));
        assertEquals(Category.UNKNOWN.code(), classify("fe80::1", "2400:2000::1"));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
        assertEquals(Category.UNKNOWN.code(), table.classify(0, buffer, 0, 16));
    }

    private static int classify(final String src, final String dst)
    {
        final byte[] s = InetAddress.ofLiteral(src).getAddress();
        final byte[] d = InetAddress.ofLiteral(dst).getAddress();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[40]);
        buffer.putBytes(3, s);
        buffer.putBytes(21, d);
        return table.classify(s.length == 4 ? 4 : 6, buffer, 3, 21);
    }

    @Test
    void sameInputsGiveTheSameVersionAndAnyChangeAnother()
    {
        assertEquals(table.versionHex(), testTable().versionHex());
        final DomesticTable other = new DomesticTableBuilder("JP")
            .addDelegated(resource("delegated-apnic-test.txt"))
            .addOverrides(resource("overrides-test.txt"))
            .build();
        assertNotEquals(table.version(), other.version());
    }

    @Test
    void fileRoundTripKeepsEntriesAndVersion(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("test.sbdt");
        DomesticTableFile.write(table, file);
        final DomesticTable read = DomesticTableFile.read(file);
        assertEquals(table.versionHex(), read.versionHex());
        assertEquals(table.entries(), read.entries());

        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 7] ^= 1;
        final Path tampered = dir.resolve("tampered.sbdt");
        Files.write(tampered, bytes);
        final TableInputException ex = assertThrows(TableInputException.class, () -> DomesticTableFile.read(tampered));
        assertTrue(ex.getMessage().contains("does not match the stated table version"), ex.getMessage());
        assertEquals(2, ex.exitCode());
    }

    @Test
    void malformedLinesAreRefusedNamingFileLineAndField(@TempDir final Path dir) throws Exception
    {
        assertRefused(dir, "apnic|JP|ipv4|1.0.0.0|256|20110811", "expected registry|cc|type|start|value|date|status");
        assertRefused(dir, "apnic|JP|ipv4|1.0.0.300|256|20110811|allocated", "field start");
        assertRefused(dir, "apnic|JP|ipv4|1.0.0.0|many|20110811|allocated", "field value");
        assertRefused(dir, "apnic|JP|ipv4|255.255.255.0|512|20110811|allocated", "runs past the end");
        assertRefused(dir, "apnic|JP|ipv6|2001:200::|129|20110811|allocated", "field value");
        assertRefused(dir, "apnic|JP|ipx|1.0.0.0|256|20110811|allocated", "field type");
        assertRefused(dir, "apnic|JP|ipv4|1.0.0.0|256|20110811|stolen", "field status");
        assertRefused(dir, "apnic|J|ipv4|1.0.0.0|256|20110811|allocated", "field cc");
    }

    private static void assertRefused(final Path dir, final String line, final String expected) throws Exception
    {
        final Path file = dir.resolve("bad.txt");
        Files.write(file, List.of("2|apnic|20261127|1|19850701|20261126|+1000", "# comment", line));
        final TableInputException ex = assertThrows(TableInputException.class,
            () -> new DomesticTableBuilder("JP").addDelegated(file));
        assertTrue(ex.getMessage().startsWith(file + ":3: "), ex.getMessage());
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    @Test
    void contradictoryOverridesAreRefusedNamingBothLines(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("overrides.txt");
        Files.write(file, List.of("domestic 1.2.3.0/24", "", "foreign 1.2.3.0/24"));
        final TableInputException ex = assertThrows(TableInputException.class,
            () -> new DomesticTableBuilder("JP").addOverrides(file));
        assertEquals(file + ":3: 1.2.3.0/24 contradicts " + file + ":1", ex.getMessage());
        Files.write(file, List.of("domestic 1.2.3.1/24"));
        assertTrue(assertThrows(TableInputException.class, () -> new DomesticTableBuilder("JP").addOverrides(file))
            .getMessage().contains("host bits"));
    }

    @Test
    void resolvedEntriesAreTheFewestPrefixes()
    {
        final List<String> jpV4 = table.entries().stream()
            .filter(e -> e.cidr().family() == 4 && e.addressClass() == D)
            .map(e -> e.cidr().toString())
            .filter(s -> s.startsWith("27.") || s.startsWith("1.0.6") || s.startsWith("202."))
            .toList();
        assertArrayEquals(new String[] {
            "1.0.64.0/23", "1.0.66.0/24",
            "27.0.0.0/24", "27.0.2.0/24", "27.0.3.0/25", "27.0.3.128/26", "27.0.3.192/27", "27.0.3.224/29",
            "202.0.65.0/24", "202.0.66.0/27", "202.0.66.32/29", "202.0.66.40/30"}, jpV4.toArray());
    }
}
