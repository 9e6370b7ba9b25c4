package jp.senbetsu.capture.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DecodeStatusTest
{
    @Test
    void codesAndReasonsAreUniqueAndRoundTrip()
    {
        final Set<String> reasons = new HashSet<>();
        for (final DecodeStatus status : DecodeStatus.values())
        {
            assertSame(status, DecodeStatus.ofCode(status.code()));
            assertTrue(reasons.add(status.reason()), "duplicate reason " + status.reason());
            assertTrue(status.reason().matches("[a-z0-9_]+(\\.[a-z0-9_]+)?"), status.reason());
        }
        assertEquals(0, DecodeStatus.OK.code());
    }

    /** The output documentation lists every reason with its code, so operators can look up any status. */
    @Test
    void everyReasonIsDocumented() throws IOException
    {
        final Path doc = Path.of(System.getProperty("senbetsu.root", "..")).resolve("docs/decode-output.md");
        assumeTrue(Files.isRegularFile(doc), "docs not present at " + doc);
        final String text = Files.readString(doc);
        for (final DecodeStatus status : DecodeStatus.values())
        {
            assertTrue(text.contains("| " + status.code() + " | `" + status.reason() + "` |"),
                "docs/decode-output.md lacks the row for " + status.code() + " " + status.reason());
        }
    }

    @Test
    void countersCountEachStatus()
    {
        final DecodeCounters counters = new DecodeCounters();
        counters.increment(DecodeStatus.OK);
        counters.increment(DecodeStatus.TCP_TRUNCATED);
        counters.increment(DecodeStatus.TCP_TRUNCATED);
        assertEquals(3, counters.total());
        assertEquals(2, counters.notOk());
        assertEquals(2, counters.count(DecodeStatus.TCP_TRUNCATED));
        final StringBuilder seen = new StringBuilder();
        counters.forEachNonZero((status, count) -> seen.append(status.reason()).append('=').append(count).append(' '));
        assertEquals("ok=1 tcp.truncated=2 ", seen.toString());
    }
}
