package jp.senbetsu.appliance.daemon;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.metrics.Counter;
import jp.senbetsu.capture.metrics.MetricsRegistry;
import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.retention.RetentionEraser;

/**
 * Crypto-shreds expired partitions while the appliance runs, once at start and then every interval, on its own
 * thread. A failed pass is counted and retried at the next interval; it never stops capture. Stopping waits for a
 * running pass to finish instead of interrupting it, because an interrupted file lock would close the audit log's
 * channel under the other writers.
 */
final class RetentionSchedule implements AutoCloseable
{
    private final ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "senbetsu-retention"));
    private final StoreSession session;
    private final MasterKeyStore master;
    private final Counter erased;
    private final Counter failures;

    RetentionSchedule(final StoreSession session, final MasterKeyStore master, final MetricsRegistry registry,
        final Duration interval)
    {
        this.session = session;
        this.master = master;
        this.erased = registry.counter("senbetsu_partitions_erased_total", "Partitions crypto-shredded after retention.");
        this.failures = registry.counter(Appliance.AGENT_ERRORS, "Exceptions that stopped an appliance agent.",
            "agent", "retention");
        executor.scheduleWithFixedDelay(this::erasePass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void erasePass()
    {
        try
        {
            erased.addAtomic(new RetentionEraser(session, master).eraseExpired(System.currentTimeMillis()).size());
        }
        catch (final RuntimeException ex)
        {
            failures.addAtomic(1);
        }
    }

    @Override
    public void close()
    {
        executor.shutdown();
        try
        {
            if (!executor.awaitTermination(10, TimeUnit.MINUTES))
            {
                throw new SenbetsuException("an erasure pass did not finish within 10 minutes; stopping anyway");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new SenbetsuException("interrupted while waiting for an erasure pass to finish", ex);
        }
    }
}
