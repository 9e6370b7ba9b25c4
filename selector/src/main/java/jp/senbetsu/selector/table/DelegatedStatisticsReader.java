package jp.senbetsu.selector.table;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jp.senbetsu.selector.trie.Cidr;
import jp.senbetsu.selector.trie.RangeSplitter;

/**
 * Reads an RIR delegated-statistics file ("RIR statistics exchange format":
 * {@code registry|cc|type|start|value|date|status[|extensions]}) into {@link TableSource} prefixes. Entries of
 * the domestic country become {@link AddressClass#DOMESTIC}, allocated or assigned entries of any other country
 * {@link AddressClass#FOREIGN}; {@code available} and {@code reserved} entries are skipped (they stay unknown).
 * An IPv4 {@code value} is a host count that need not be a power of two: the range is split into CIDRs.
 * Version, summary, comment and {@code asn} lines are recognised and skipped.
 */
public final class DelegatedStatisticsReader
{
    private final int domesticCountry;

    /** Counts of what was read, for the build report: entries as the files list them, before any splitting. */
    public static final class Counts
    {
        /** Domestic IPv4 lines. */
        public long domesticIpv4Entries;
        /** Domestic IPv6 lines. */
        public long domesticIpv6Entries;
        /** IPv4 lines of other countries. */
        public long foreignIpv4Entries;
        /** IPv6 lines of other countries. */
        public long foreignIpv6Entries;
        /** {@code available} and {@code reserved} lines. */
        public long skippedEntries;
    }

    /** @param domesticCountry ISO 3166 alpha-2 code of the domestic country, e.g. {@code JP}. */
    public DelegatedStatisticsReader(final String domesticCountry)
    {
        this.domesticCountry = CountryCode.pack(domesticCountry);
        if (this.domesticCountry < 0)
        {
            throw new TableInputException("domestic country '" + domesticCountry + "' is not a two-letter code");
        }
    }

    public List<TableSource> read(final Path file, final Counts counts)
    {
        final List<TableSource> out = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII))
        {
            String line;
            int lineNumber = 0;
            boolean versionSeen = false;
            while ((line = reader.readLine()) != null)
            {
                lineNumber++;
                final String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#"))
                {
                    continue;
                }
                final String[] fields = trimmed.split("\\|", -1);
                if (!versionSeen && !fields[0].isEmpty() && Character.isDigit(fields[0].charAt(0)))
                {
                    versionSeen = true; // version line: version|registry|serial|records|startdate|enddate|UTCoffset
                    continue;
                }
                if (fields.length >= 6 && "summary".equals(fields[5]))
                {
                    continue;
                }
                parseEntry(file, lineNumber, fields, counts, out);
            }
        }
        catch (final java.nio.charset.MalformedInputException ex)
        {
            throw new TableInputException(file + ": not an ASCII delegated-statistics file", ex);
        }
        catch (final IOException ex)
        {
            throw new TableInputException(file + ": cannot read: " + ex.getMessage(), ex);
        }
        return out;
    }

    private void parseEntry(
        final Path file, final int line, final String[] fields, final Counts counts, final List<TableSource> out)
    {
        final String where = file + ":" + line;
        if (fields.length < 7)
        {
            throw new TableInputException(where + ": expected registry|cc|type|start|value|date|status, got " +
                fields.length + " fields");
        }
        final String type = fields[2];
        if ("asn".equals(type))
        {
            return;
        }
        if (!"ipv4".equals(type) && !"ipv6".equals(type))
        {
            throw new TableInputException(where + ": field type: '" + type + "' is not asn, ipv4 or ipv6");
        }
        final String status = fields[6];
        final int country = CountryCode.pack(fields[1]);
        if (!"allocated".equals(status) && !"assigned".equals(status))
        {
            if (!"available".equals(status) && !"reserved".equals(status))
            {
                throw new TableInputException(where + ": field status: '" + status +
                    "' is not allocated, assigned, available or reserved");
            }
            counts.skippedEntries++;
            return;
        }
        if (country < 0)
        {
            throw new TableInputException(where + ": field cc: '" + fields[1] + "' is not a two-letter country code");
        }
        final long value;
        try
        {
            value = Long.parseLong(fields[4]);
        }
        catch (final NumberFormatException ex)
        {
            throw new TableInputException(where + ": field value: '" + fields[4] + "' is not a number");
        }
        final int addressClass = country == domesticCountry ? AddressClass.DOMESTIC : AddressClass.FOREIGN;
        final String origin = where;
        final Consumer<Cidr> sink = cidr -> out.add(
            new TableSource(cidr, TableSource.LAYER_DELEGATED, addressClass, country, 0, origin));
        if ("ipv4".equals(type))
        {
            final Cidr start = parse(where, "start", fields[3], 4);
            final long first = start.hi() >>> 32;
            if (value < 1 || first + value > (1L << 32))
            {
                throw new TableInputException(where + ": field value: host count " + value + " from " + fields[3] +
                    " runs past the end of the IPv4 space or is not positive");
            }
            final long last = first + value - 1;
            RangeSplitter.split(4, start.hi(), 0, (last << 32) | 0xFFFF_FFFFL, -1L, sink);
            if (addressClass == AddressClass.DOMESTIC)
            {
                counts.domesticIpv4Entries++;
            }
            else
            {
                counts.foreignIpv4Entries++;
            }
        }
        else
        {
            if (value < 0 || value > 128)
            {
                throw new TableInputException(where + ": field value: IPv6 prefix length " + value + " is not 0..128");
            }
            sink.accept(parse(where, "start", fields[3] + "/" + value, 6));
            if (addressClass == AddressClass.DOMESTIC)
            {
                counts.domesticIpv6Entries++;
            }
            else
            {
                counts.foreignIpv6Entries++;
            }
        }
    }

    private static Cidr parse(final String where, final String field, final String text, final int family)
    {
        try
        {
            final Cidr cidr = Cidr.parse(text);
            if (cidr.family() != family)
            {
                throw new IllegalArgumentException("'" + text + "' is not an IPv" + family + " address");
            }
            return cidr;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TableInputException(where + ": field " + field + ": " + ex.getMessage());
        }
    }
}
