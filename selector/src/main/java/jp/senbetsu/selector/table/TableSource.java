package jp.senbetsu.selector.table;

import jp.senbetsu.selector.trie.Cidr;

/**
 * One prefix as an input file states it, before layers are resolved: where it came from (file and line, so a
 * conflict or a decision can be traced to its source), which layer it belongs to, and what it says.
 *
 * @param cidr         the prefix.
 * @param layer        {@link #LAYER_DELEGATED}, {@link #LAYER_OVERRIDE} or {@link #LAYER_SPECIAL_PURPOSE}.
 * @param addressClass an {@link AddressClass} value.
 * @param country      packed {@link CountryCode}, {@link CountryCode#NONE} if not stated.
 * @param asn          origin AS number, 0 if not stated.
 * @param origin       file and line, or the RFC for special-purpose ranges.
 */
public record TableSource(Cidr cidr, int layer, int addressClass, int country, long asn, String origin)
{
    /** RIR delegated-statistics entries: the base layer. */
    public static final int LAYER_DELEGATED = 1;
    /** Operator overrides: beat any delegated entry. */
    public static final int LAYER_OVERRIDE = 2;
    /** RFC 6890 special-purpose ranges: always unknown, beat everything. */
    public static final int LAYER_SPECIAL_PURPOSE = 3;
}
