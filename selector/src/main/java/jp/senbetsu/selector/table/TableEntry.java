package jp.senbetsu.selector.table;

import jp.senbetsu.selector.trie.Cidr;

/**
 * One resolved, non-overlapping prefix of the compiled domestic address table: the canonical content that is
 * hashed into the table version and stored in table files. Addresses in no entry are {@link AddressClass#UNKNOWN}.
 *
 * @param cidr         the prefix.
 * @param addressClass {@link AddressClass#DOMESTIC} or {@link AddressClass#FOREIGN}.
 * @param country      packed {@link CountryCode}.
 * @param asn          origin AS number, 0 if unknown.
 */
public record TableEntry(Cidr cidr, int addressClass, int country, long asn)
{
}
