package jp.senbetsu.selector.match;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jp.senbetsu.capture.classify.Category;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters are written by a shard thread and read by the metrics thread: a reader that polls must see every
 * published increment, not a value its compiled loop cached before the writer ran.
 */
class SelectionCountersTest
{
    private static final Category CATEGORY = Category.FOREIGN_DOMESTIC;
    private static final int INCREMENTS = 1_000;

    private static volatile long spinCount;

    @Test
    void aPollingReaderOnAnotherThreadSeesTheWritersCounts() throws Exception
    {
        final SelectionCounters counters = new SelectionCounters();
        final CountDownLatch seen = new CountDownLatch(1);
        final Thread reader = new Thread(() ->
        {
            // spins long enough before the writer starts for the JIT to compile this loop
            long spins = 0;
            while (counters.selected(CATEGORY) < INCREMENTS)
            {
                spins++; // no call, no fence: a plain array load may be hoisted out of this loop
            }
            spinCount = spins;
            seen.countDown();
        }, "metrics-reader");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(Duration.ofMillis(1_500));

        final Thread writer = new Thread(() ->
        {
            for (int i = 0; i < INCREMENTS; i++)
            {
                counters.selected(CATEGORY.code());
                counters.discarded(CATEGORY.code(), DiscardReason.NO_RULE_MATCHED);
            }
        }, "shard-writer");
        writer.start();
        writer.join();

        assertTrue(seen.await(10, TimeUnit.SECONDS),
            "the reader thread never saw the writer's " + INCREMENTS + " increments");
        assertEquals(INCREMENTS, counters.selected(CATEGORY));
        assertEquals(INCREMENTS, counters.totalDiscarded());
    }
}
