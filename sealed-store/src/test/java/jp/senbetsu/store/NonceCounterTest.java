package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import jp.senbetsu.store.keys.NonceCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nonces never repeat under one key, across clean restarts and across crashes that lose the in-memory counter. */
class NonceCounterTest
{
    @TempDir
    Path dir;

    @Test
    void noNonceRepeatsAcrossRestartsAndAbandonedCounters()
    {
        final Path file = dir.resolve("k.nonce");
        final Set<Long> seen = new HashSet<>();
        final byte[] nonce = new byte[NonceCounter.NONCE_LENGTH];
        long previous = 0;
        for (int run = 0; run < 5; run++)
        {
            // run 2 and 4 are "crashes": the counter is abandoned without close
            final NonceCounter counter = NonceCounter.open(file, 100);
            for (int i = 0; i < 250 + run * 37; i++)
            {
                final long value = counter.next(nonce, 0);
                assertEquals(value, NonceCounter.counterOf(nonce, 0));
                assertTrue(value > previous, "counter increases");
                assertTrue(seen.add(value), "nonce " + value + " repeated");
                previous = value;
            }
            if (run % 2 == 0)
            {
                counter.close();
            }
        }
    }
}
