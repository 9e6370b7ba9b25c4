package jp.senbetsu.selector.table;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jp.senbetsu.selector.trie.Cidr;

/**
 * Reads an operator override file: one prefix per line, marked with what the carrier knows about it, e.g.
 * <pre>
 * # carrier-known customer space announced from Tokyo
 * domestic 198.18.0.0/15
 * foreign  2001:db8:1000::/36  cc=US asn=64500
 * unknown  192.0.2.0/24
 * </pre>
 * Overrides beat delegated-statistics entries; among overrides the longest prefix wins. The same prefix twice
 * with different meanings is refused, naming both lines. {@code cc=} and {@code asn=} annotate the foreign end
 * so rules can select by country or AS.
 */
public final class OverrideFileReader
{
    private OverrideFileReader()
    {
    }

    public static List<TableSource> read(final Path file, final int defaultDomesticCountry)
    {
        final List<TableSource> out = new ArrayList<>();
        final java.util.Map<Cidr, TableSource> seen = new java.util.HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null)
            {
                lineNumber++;
                final int hash = line.indexOf('#');
                final String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (content.isEmpty())
                {
                    continue;
                }
                final TableSource source = parseLine(file + ":" + lineNumber, content, defaultDomesticCountry);
                final TableSource previous = seen.putIfAbsent(source.cidr(), source);
                if (previous != null && !sameMeaning(previous, source))
                {
                    throw new TableInputException(source.origin() + ": " + source.cidr() + " contradicts " +
                        previous.origin());
                }
                out.add(source);
            }
        }
        catch (final IOException ex)
        {
            throw new TableInputException(file + ": cannot read: " + ex.getMessage(), ex);
        }
        return out;
    }

    private static boolean sameMeaning(final TableSource a, final TableSource b)
    {
        return a.addressClass() == b.addressClass() && a.country() == b.country() && a.asn() == b.asn();
    }

    private static TableSource parseLine(final String where, final String content, final int defaultDomesticCountry)
    {
        final String[] words = content.split("\\s+");
        if (words.length < 2)
        {
            throw new TableInputException(where + ": expected 'domestic|foreign|unknown PREFIX [cc=XX] [asn=N]'");
        }
        final int addressClass = AddressClass.ofLabel(words[0]);
        if (addressClass < 0)
        {
            throw new TableInputException(where + ": '" + words[0] + "' is not domestic, foreign or unknown");
        }
        final Cidr cidr;
        try
        {
            cidr = Cidr.parse(words[1]);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TableInputException(where + ": prefix: " + ex.getMessage());
        }
        int country = addressClass == AddressClass.DOMESTIC ? defaultDomesticCountry : CountryCode.NONE;
        long asn = 0;
        for (int i = 2; i < words.length; i++)
        {
            final String word = words[i];
            if (word.startsWith("cc="))
            {
                country = CountryCode.pack(word.substring(3));
                if (country < 0)
                {
                    throw new TableInputException(where + ": cc: '" + word.substring(3) + "' is not a country code");
                }
            }
            else if (word.startsWith("asn="))
            {
                final String number = word.substring(4).replaceFirst("^(?i)AS", "");
                try
                {
                    asn = Long.parseLong(number);
                }
                catch (final NumberFormatException ex)
                {
                    asn = -1;
                }
                if (asn <= 0 || asn > 0xFFFF_FFFFL)
                {
                    throw new TableInputException(where + ": asn: '" + word.substring(4) + "' is not an AS number");
                }
            }
            else
            {
                throw new TableInputException(where + ": '" + word + "' is not cc=XX or asn=N");
            }
        }
        if (addressClass == AddressClass.UNKNOWN)
        {
            country = CountryCode.NONE;
            asn = 0;
        }
        return new TableSource(cidr, TableSource.LAYER_OVERRIDE, addressClass, country, asn, where);
    }
}
