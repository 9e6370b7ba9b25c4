package jp.senbetsu.selector.trie;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

import jp.senbetsu.capture.record.AddressText;

/**
 * One CIDR prefix of either address family, held as a 128-bit key top-aligned in two longs (an IPv4 address
 * occupies the top 32 bits of {@code hi}). Both the domestic address table and the rule matcher are built from
 * these; the hot path never sees them.
 *
 * @param family 4 or 6.
 * @param hi     bits 0..63 of the top-aligned key, host bits zero.
 * @param lo     bits 64..127 of the top-aligned key, host bits zero.
 * @param length prefix length, 0..32 for IPv4, 0..128 for IPv6.
 */
public record Cidr(int family, long hi, long lo, int length)
{
    /** Bits in an address of the given family. */
    public static int width(final int family)
    {
        return family == 4 ? 32 : 128;
    }

    /**
     * Parses {@code 203.0.113.0/24}, {@code 2001:db8::/32} or a bare address (a host prefix). Never resolves
     * names. Host bits must be zero: a prefix in a signed or operator document means exactly what it says.
     *
     * @throws IllegalArgumentException naming what is wrong with the text.
     */
    public static Cidr parse(final String text)
    {
        final String trimmed = text.trim();
        final int slash = trimmed.indexOf('/');
        final String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        final InetAddress inet = parseAddress(address);
        // Java turns IPv4-mapped IPv6 literals (::ffff:a.b.c.d) into IPv4 addresses; the text decides the family
        final int family = address.indexOf(':') >= 0 ? 6 : 4;
        final int width = width(family);
        final int length;
        if (slash < 0)
        {
            length = width;
        }
        else
        {
            final String lengthText = trimmed.substring(slash + 1);
            if (lengthText.isEmpty() || lengthText.length() > 3 || !lengthText.chars().allMatch(Character::isDigit))
            {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
            }
            length = Integer.parseInt(lengthText);
            if (length > width)
            {
                throw new IllegalArgumentException("'" + text + "': prefix length " + length + " exceeds " + width);
            }
        }
        byte[] bytes = inet.getAddress();
        if (family == 6 && bytes.length == 4)
        {
            final byte[] mapped = new byte[16];
            mapped[10] = (byte)0xFF;
            mapped[11] = (byte)0xFF;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
        }
        final long hi;
        final long lo;
        if (family == 4)
        {
            hi = ((long)readInt(bytes, 0)) << 32;
            lo = 0;
        }
        else
        {
            hi = readLong(bytes, 0);
            lo = readLong(bytes, 8);
        }
        if ((hi & ~Key128.maskHi(length)) != 0 || (lo & ~Key128.maskLo(length)) != 0)
        {
            throw new IllegalArgumentException("'" + text + "' has host bits set beyond /" + length);
        }
        return new Cidr(family, hi, lo, length);
    }

    /** A prefix from an IPv4 address as an unsigned int. */
    public static Cidr ofIpv4(final long address, final int length)
    {
        return new Cidr(4, (address & 0xFFFF_FFFFL) << 32, 0, length);
    }

    /** Whether {@code other} lies inside this prefix (same family, at least as long, same leading bits). */
    public boolean contains(final Cidr other)
    {
        return family == other.family && other.length >= length &&
            (other.hi & Key128.maskHi(length)) == hi && (other.lo & Key128.maskLo(length)) == lo;
    }

    /** Whether the top-aligned key lies inside this prefix. */
    public boolean containsKey(final long keyHi, final long keyLo)
    {
        return (keyHi & Key128.maskHi(length)) == hi && (keyLo & Key128.maskLo(length)) == lo;
    }

    /** Last key inside the prefix, high half. */
    public long endHi()
    {
        return hi | ~Key128.maskHi(length);
    }

    /** Last key inside the prefix, low half. */
    public long endLo()
    {
        return lo | ~Key128.maskLo(length);
    }

    @Override
    public String toString()
    {
        final byte[] address = new byte[family == 4 ? 4 : 16];
        for (int i = 0; i < address.length; i++)
        {
            address[i] = (byte)((i < 8 ? hi : lo) >>> (56 - 8 * (i & 7)));
        }
        return AddressText.toString(address) + "/" + length;
    }

    private static InetAddress parseAddress(final String address)
    {
        try
        {
            if (address.indexOf(':') >= 0)
            {
                return Inet6Address.ofLiteral(address);
            }
            // strict dotted quad: the JDK also accepts legacy forms such as "10.0.0" (= 10.0.0.0)
            if (!address.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}"))
            {
                throw new IllegalArgumentException(address);
            }
            return Inet4Address.ofLiteral(address);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("'" + address + "' is not an IPv4 or IPv6 address literal");
        }
    }

    private static int readInt(final byte[] b, final int at)
    {
        return ((b[at] & 255) << 24) | ((b[at + 1] & 255) << 16) | ((b[at + 2] & 255) << 8) | (b[at + 3] & 255);
    }

    private static long readLong(final byte[] b, final int at)
    {
        return ((long)readInt(b, at) << 32) | (readInt(b, at + 4) & 0xFFFF_FFFFL);
    }
}
