package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    @Test
    void countersOpenedTogetherOnOneFileNeverShareAValue() throws Exception
    {
        // what a partition roll and 'keys rotate' do with one master key's reservation file, here as two
        // counters opened before either reserved (the old read-then-write handed both the same start)
        final Path file = dir.resolve("master-m1.nonce");
        final NonceCounter a = NonceCounter.open(file, 64);
        final NonceCounter b = NonceCounter.open(file, 64);
        final byte[] nonce = new byte[NonceCounter.NONCE_LENGTH];
        final Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++)
        {
            assertTrue(seen.add(a.next(nonce, 0)), "value repeated (a)");
            assertTrue(seen.add(b.next(nonce, 0)), "value repeated (b)");
        }
        a.close();
        b.close();

        // and from several threads, each with its own counter and a small block so they reserve often
        final Path shared = dir.resolve("shared.nonce");
        final int threads = 4;
        final int each = 2_000;
        final Set<Long> all = ConcurrentHashMap.newKeySet();
        final CountDownLatch start = new CountDownLatch(1);
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            final List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                results.add(pool.submit(() ->
                {
                    final byte[] n = new byte[NonceCounter.NONCE_LENGTH];
                    int repeats = 0;
                    start.await();
                    try (NonceCounter counter = NonceCounter.open(shared, 7))
                    {
                        for (int i = 0; i < each; i++)
                        {
                            if (!all.add(counter.next(n, 0)))
                            {
                                repeats++;
                            }
                        }
                    }
                    return repeats;
                }));
            }
            start.countDown();
            for (final Future<Integer> r : results)
            {
                assertEquals(0, r.get(), "no counter value handed out twice");
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        assertEquals(threads * each, all.size());
    }
}
