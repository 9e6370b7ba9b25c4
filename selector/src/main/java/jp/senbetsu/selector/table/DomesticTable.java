package jp.senbetsu.selector.table;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.classify.CommunicationClassifier;
import jp.senbetsu.selector.trie.Cidr;
import jp.senbetsu.selector.trie.IntervalMap;
import jp.senbetsu.selector.trie.Poptrie;
import jp.senbetsu.selector.trie.PrefixSweep;
import org.agrona.DirectBuffer;

/**
 * The versioned domestic address table: which addresses are domestic, which foreign, and (where a source said)
 * the foreign end's country and AS. It is the {@link CommunicationClassifier} the pipeline calls per packet: two
 * poptrie lookups and a 3x3 table, no allocation, immutable and safe to share between threads.
 *
 * <p>Its version is the SHA-256 of its canonical content (the sorted, resolved entries; see
 * {@code docs/domestic-table.md}); {@link #version()} is the first 8 bytes, which selected records carry, so
 * every decision can be traced to the exact table that made it.
 */
public final class DomesticTable implements CommunicationClassifier
{
    /** Bytes of one IPv4 entry in the canonical content. */
    public static final int IPV4_ENTRY_LENGTH = 12;
    /** Bytes of one IPv6 entry in the canonical content. */
    public static final int IPV6_ENTRY_LENGTH = 24;

    private static final byte[] CATEGORY_BY_CLASSES = new byte[9];

    static
    {
        // index: source class * 3 + destination class; unknown on either end stays UNKNOWN (code 0)
        CATEGORY_BY_CLASSES[AddressClass.FOREIGN * 3 + AddressClass.FOREIGN] = (byte)Category.FOREIGN_FOREIGN.code();
        CATEGORY_BY_CLASSES[AddressClass.FOREIGN * 3 + AddressClass.DOMESTIC] = (byte)Category.FOREIGN_DOMESTIC.code();
        CATEGORY_BY_CLASSES[AddressClass.DOMESTIC * 3 + AddressClass.FOREIGN] = (byte)Category.DOMESTIC_FOREIGN.code();
        CATEGORY_BY_CLASSES[AddressClass.DOMESTIC * 3 + AddressClass.DOMESTIC] =
            (byte)Category.DOMESTIC_DOMESTIC.code();
    }

    private final List<TableEntry> entries;
    private final byte[] content;
    private final byte[] sha256;
    private final long version;
    private final Poptrie ipv4;
    private final Poptrie ipv6;
    private final byte[] classOf;
    private final short[] countryOf;
    private final long[] asnOf;

    private DomesticTable(final List<TableEntry> entries, final byte[] content, final byte[] sha256)
    {
        this.entries = List.copyOf(entries);
        this.content = content;
        this.sha256 = sha256;
        this.version = ByteBuffer.wrap(sha256).getLong();

        final Map<TableEntry, Integer> attributes = new HashMap<>();
        final List<TableEntry> attributeList = new ArrayList<>();
        final TableEntry none = new TableEntry(null, AddressClass.UNKNOWN, CountryCode.NONE, 0);
        attributeList.add(none);
        attributes.put(none, 0);
        final List<int[]> v4 = new ArrayList<>();
        final List<int[]> v6 = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++)
        {
            final TableEntry e = entries.get(i);
            final TableEntry key = new TableEntry(null, e.addressClass(), e.country(), e.asn());
            final int attribute = attributes.computeIfAbsent(key, k ->
            {
                attributeList.add(k);
                return attributeList.size() - 1;
            });
            (e.cidr().family() == 4 ? v4 : v6).add(new int[] {i, attribute});
        }
        classOf = new byte[attributeList.size()];
        countryOf = new short[attributeList.size()];
        asnOf = new long[attributeList.size()];
        for (int i = 0; i < attributeList.size(); i++)
        {
            classOf[i] = (byte)attributeList.get(i).addressClass();
            countryOf[i] = (short)attributeList.get(i).country();
            asnOf[i] = attributeList.get(i).asn();
        }
        ipv4 = Poptrie.build(resolve(v4), 4);
        ipv6 = Poptrie.build(resolve(v6), 6);
    }

    private IntervalMap resolve(final List<int[]> items)
    {
        return PrefixSweep.sweep(items, item -> entries.get(item[0]).cidr(),
            stack -> stack.isEmpty() ? 0 : stack.getLast()[1]);
    }

    /**
     * Builds the table from resolved entries (non-overlapping; any order). The entries are sorted into canonical
     * order and hashed.
     */
    public static DomesticTable of(final List<TableEntry> unsorted)
    {
        final List<TableEntry> sorted = new ArrayList<>(unsorted);
        sorted.sort((a, b) ->
        {
            if (a.cidr().family() != b.cidr().family())
            {
                return Integer.compare(a.cidr().family(), b.cidr().family());
            }
            final int c = jp.senbetsu.selector.trie.Key128.compare(a.cidr().hi(), a.cidr().lo(), b.cidr().hi(),
                b.cidr().lo());
            return c != 0 ? c : Integer.compare(a.cidr().length(), b.cidr().length());
        });
        for (int i = 1; i < sorted.size(); i++)
        {
            final Cidr previous = sorted.get(i - 1).cidr();
            if (previous.contains(sorted.get(i).cidr()))
            {
                throw new IllegalArgumentException("table entries overlap: " + previous + " and " + sorted.get(i).cidr());
            }
        }
        final byte[] content = encode(sorted);
        return new DomesticTable(sorted, content, sha256(content));
    }

    /** Builds the table from canonical content read from a file, checking that it is in canonical order. */
    static DomesticTable ofContent(final byte[] content, final List<TableEntry> entries)
    {
        final DomesticTable table = of(entries);
        if (!java.util.Arrays.equals(table.content, content))
        {
            throw new IllegalArgumentException("entries are not in canonical order or not canonical");
        }
        return table;
    }

    static byte[] encode(final List<TableEntry> sorted)
    {
        final long v4 = sorted.stream().filter(e -> e.cidr().family() == 4).count();
        final long v6 = sorted.size() - v4;
        final ByteBuffer out = ByteBuffer
            .allocate(8 + (int)v4 * IPV4_ENTRY_LENGTH + (int)v6 * IPV6_ENTRY_LENGTH)
            .order(ByteOrder.BIG_ENDIAN);
        out.putInt((int)v4).putInt((int)v6);
        for (final TableEntry e : sorted)
        {
            final Cidr c = e.cidr();
            if (c.family() == 4)
            {
                out.putInt((int)(c.hi() >>> 32));
            }
            else
            {
                out.putLong(c.hi()).putLong(c.lo());
            }
            out.put((byte)c.length()).put((byte)e.addressClass()).putShort((short)e.country()).putInt((int)e.asn());
        }
        return out.array();
    }

    static byte[] sha256(final byte[] content)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(content);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public int classify(final int ipVersion, final DirectBuffer buffer, final int srcOffset, final int dstOffset)
    {
        final int src;
        final int dst;
        if (ipVersion == 4)
        {
            src = ipv4.lookup4(buffer.getInt(srcOffset, ByteOrder.BIG_ENDIAN));
            dst = ipv4.lookup4(buffer.getInt(dstOffset, ByteOrder.BIG_ENDIAN));
        }
        else if (ipVersion == 6)
        {
            src = ipv6.lookup6(buffer.getLong(srcOffset, ByteOrder.BIG_ENDIAN),
                buffer.getLong(srcOffset + 8, ByteOrder.BIG_ENDIAN));
            dst = ipv6.lookup6(buffer.getLong(dstOffset, ByteOrder.BIG_ENDIAN),
                buffer.getLong(dstOffset + 8, ByteOrder.BIG_ENDIAN));
        }
        else
        {
            return Category.UNKNOWN.code();
        }
        return CATEGORY_BY_CLASSES[classOf[src] * 3 + classOf[dst]];
    }

    /** Attribute index of an address, from the buffer as the classifier reads it; 0 means unknown. */
    public int attributeAt(final int ipVersion, final DirectBuffer buffer, final int offset)
    {
        if (ipVersion == 4)
        {
            return ipv4.lookup4(buffer.getInt(offset, ByteOrder.BIG_ENDIAN));
        }
        if (ipVersion == 6)
        {
            return ipv6.lookup6(buffer.getLong(offset, ByteOrder.BIG_ENDIAN),
                buffer.getLong(offset + 8, ByteOrder.BIG_ENDIAN));
        }
        return 0;
    }

    /** Attribute index of an IPv4 address (as the int read in network order). */
    public int attributeOf4(final int address)
    {
        return ipv4.lookup4(address);
    }

    /** Attribute index of an IPv6 address. */
    public int attributeOf6(final long hi, final long lo)
    {
        return ipv6.lookup6(hi, lo);
    }

    /** The lookup structure of one family (4 or 6), answering attribute indexes for top-aligned keys. */
    public Poptrie trie(final int family)
    {
        return family == 4 ? ipv4 : ipv6;
    }

    /** Category code of a communication between two attribute indexes. */
    public int category(final int srcAttribute, final int dstAttribute)
    {
        return CATEGORY_BY_CLASSES[classOf[srcAttribute] * 3 + classOf[dstAttribute]];
    }

    public int addressClass(final int attribute)
    {
        return classOf[attribute];
    }

    public int country(final int attribute)
    {
        return countryOf[attribute];
    }

    public long asn(final int attribute)
    {
        return asnOf[attribute];
    }

    /** First 8 bytes of the SHA-256 of the canonical content, as selected records carry it. */
    public long version()
    {
        return version;
    }

    /** The full SHA-256 of the canonical content, in hex. */
    public String versionHex()
    {
        return HexFormat.of().formatHex(sha256);
    }

    /** The table version as selected records and counters show it: 16 hex digits. */
    public static String versionText(final long version)
    {
        return HexFormat.of().toHexDigits(version);
    }

    public List<TableEntry> entries()
    {
        return entries;
    }

    byte[] content()
    {
        return content.clone();
    }

    byte[] sha256Bytes()
    {
        return sha256.clone();
    }

    /** Number of entries of a family and class. */
    public long count(final int family, final int addressClass)
    {
        return entries.stream().filter(e -> e.cidr().family() == family && e.addressClass() == addressClass).count();
    }
}
