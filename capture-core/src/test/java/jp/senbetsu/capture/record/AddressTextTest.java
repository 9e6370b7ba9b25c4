package jp.senbetsu.capture.record;

import java.net.InetAddress;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AddressTextTest
{
    @Test
    void writesTheRfc5952ExamplesAndDottedQuads() throws Exception
    {
        assertEquals("2001:db8::1", text("2001:0db8:0000:0000:0000:0000:0000:0001"));
        assertEquals("2001:db8:0:1:1:1:1:1", text("2001:db8:0:1:1:1:1:1"), "a single zero group is not shortened");
        assertEquals("2001:db8::1:0:0:1", text("2001:db8:0:0:1:0:0:1"), "the first of two equal runs");
        assertEquals("2001:0:0:1::1", text("2001:0:0:1:0:0:0:1"), "the longest run");
        assertEquals("::", text("::"));
        assertEquals("::1", text("::1"));
        assertEquals("fe80::", text("fe80::"));
        assertEquals("::ffff:192.0.2.1", text("::ffff:192.0.2.1"), "IPv4-mapped keeps the dotted tail");
        assertEquals("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", text("2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:FFFF"));
        assertEquals("0.0.0.0", AddressText.toString(new byte[4]));
        assertEquals("255.10.0.1", AddressText.toString(new byte[] { (byte)255, 10, 0, 1 }));
    }

    @Test
    void randomAddressesParseBackToThemselvesWithAtMostOneDoubleColon() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(5952);
        for (int n = 0; n < 20_000; n++)
        {
            final byte[] address = new byte[16];
            for (int g = 0; g < 8; g++)
            {
                // zero groups often, so runs of every length occur
                final int value = random.nextInt(3) == 0 ? 0 : random.nextInt(0x10000);
                address[2 * g] = (byte)(value >>> 8);
                address[2 * g + 1] = (byte)value;
            }
            final String ours = AddressText.toString(address);
            // the JDK never compresses, so compare by parsing our text back
            assertEquals(InetAddress.getByAddress(address), InetAddress.getByName(ours), ours);
            assertFalse(ours.contains(":::"), ours);
        }
    }

    private static String text(final String literal) throws Exception
    {
        final byte[] raw = InetAddress.getByName(literal).getAddress();
        if (raw.length == 4)
        {
            // the JDK turns ::ffff:a.b.c.d into an Inet4Address: rebuild the mapped form
            final byte[] mapped = new byte[16];
            mapped[10] = (byte)0xFF;
            mapped[11] = (byte)0xFF;
            System.arraycopy(raw, 0, mapped, 12, 4);
            return AddressText.toString(mapped);
        }
        return AddressText.toString(raw);
    }
}
