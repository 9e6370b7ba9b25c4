package jp.senbetsu.capture.ring;

import java.util.concurrent.CountDownLatch;

/**
 * Lets the pipeline wait until a stage's thread is running. The Disruptor's drain at shutdown does not see a
 * handler whose thread has not started yet, so the pipeline must not accept packets before every stage has
 * {@link #arrive() arrived}.
 */
final class StageStart
{
    private final CountDownLatch latch = new CountDownLatch(1);

    /** Called by the stage on its own thread, from {@code onStart}. */
    void arrive()
    {
        latch.countDown();
    }

    /** Blocks until the stage has arrived; keeps the interrupt flag if interrupted. */
    void await()
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
