package jp.senbetsu.capture.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MetricsRegistryTest
{
    @Test
    void rendersThePrometheusTextFormat()
    {
        final MetricsRegistry registry = new MetricsRegistry(16);
        final Counter full = registry.counter("senbetsu_drops_total", "Packets dropped, by cause.", "cause", "ring.full");
        final Counter orphan = registry.counter("senbetsu_drops_total", "Packets dropped, by cause.", "cause", "frag.orphan");
        final Counter hw = registry.gauge("senbetsu_ring_occupancy_high_water", "Most slots held.");
        final Counter odd = registry.counter("senbetsu_x_total", "Help with \\ and\nnewline.", "a", "q\"uo\\te\n", "b", "2");
        full.increment();
        full.add(4);
        orphan.addAtomic(2);
        hw.max(10);
        hw.max(3);
        odd.increment();

        assertEquals("""
            # HELP senbetsu_drops_total Packets dropped, by cause.
            # TYPE senbetsu_drops_total counter
            senbetsu_drops_total{cause="ring.full"} 5
            senbetsu_drops_total{cause="frag.orphan"} 2
            # HELP senbetsu_ring_occupancy_high_water Most slots held.
            # TYPE senbetsu_ring_occupancy_high_water gauge
            senbetsu_ring_occupancy_high_water 10
            # HELP senbetsu_x_total Help with \\\\ and\\nnewline.
            # TYPE senbetsu_x_total counter
            senbetsu_x_total{a="q\\"uo\\\\te\\n",b="2"} 1
            """, registry.renderPrometheus(new StringBuilder()).toString());
        assertEquals(7, registry.sum("senbetsu_drops_total"));
        assertEquals(2, registry.value("senbetsu_drops_total", "cause", "frag.orphan"));
    }

    @Test
    void registeringTwiceGivesTheSameCounterAndBadNamesAreRefused()
    {
        final MetricsRegistry registry = new MetricsRegistry(2);
        assertSame(registry.counter("a_total", "h", "k", "v"), registry.counter("a_total", "h", "k", "v"));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("bad-name", "h"));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("b_total", "h", "__reserved", "v"));
        assertThrows(IllegalArgumentException.class, () -> registry.gauge("a_total", "h"));
        registry.counter("c_total", "h");
        assertThrows(IllegalStateException.class, () -> registry.counter("d_total", "h"));
    }

    @Test
    void countsFromSeveralThreadsAtomically() throws InterruptedException
    {
        final MetricsRegistry registry = new MetricsRegistry(4);
        final Counter c = registry.counter("n_total", "h");
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < 100_000; i++)
                {
                    c.addAtomic(1);
                }
            });
            threads[t].start();
        }
        for (final Thread t : threads)
        {
            t.join();
        }
        assertEquals(400_000, c.get());
    }

    @Test
    void aHighWaterMarkRaisedByManyThreadsKeepsTheLargestValue() throws InterruptedException
    {
        final MetricsRegistry registry = new MetricsRegistry(16);
        final Counter mark = registry.gauge("senbetsu_test_high_water", "Most seen.");
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            final int offset = t;
            // every thread offers rising and falling values; thread 3 alone offers the largest, 4 * 100 000 + 3
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < 100_000; i++)
                {
                    mark.maxAtomic(4L * i + offset);
                    mark.maxAtomic(offset);
                }
            });
            threads[t].start();
        }
        for (final Thread t : threads)
        {
            t.join();
        }
        assertEquals(4L * 99_999 + 3, mark.get());
        mark.maxAtomic(5);
        assertEquals(4L * 99_999 + 3, mark.get(), "a lower value never lowers the mark");
    }
}
