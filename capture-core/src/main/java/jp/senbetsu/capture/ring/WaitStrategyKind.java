package jp.senbetsu.capture.ring;

import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutBlockingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * How pipeline threads wait for the ring, named as in configuration. The trade-off is latency and throughput
 * against CPU burnt while idle: BUSY_SPIN and YIELDING want a core per stage, BLOCKING and SLEEPING share cores.
 */
public enum WaitStrategyKind
{
    /** Lock and condition: lowest CPU when idle, highest hand-off latency. */
    BLOCKING,
    /** Spin, then yield, then park briefly: a good default when stages share cores. */
    SLEEPING,
    /** Spin then {@link Thread#yield()}: low latency, one busy core per stage. */
    YIELDING,
    /** Pure spin: lowest latency, only with dedicated isolated cores. */
    BUSY_SPIN;

    /** A new Disruptor wait strategy of this kind. */
    public WaitStrategy create()
    {
        return switch (this)
        {
            case BLOCKING -> new BlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }

    /** A blocking strategy that wakes handlers every {@code timeoutNs} even without events (for wall-clock ticks). */
    static WaitStrategy timeoutBlocking(final long timeoutNs)
    {
        return new TimeoutBlockingWaitStrategy(timeoutNs, TimeUnit.NANOSECONDS);
    }
}
