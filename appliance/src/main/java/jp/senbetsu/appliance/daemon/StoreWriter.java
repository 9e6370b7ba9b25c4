package jp.senbetsu.appliance.daemon;

import jp.senbetsu.store.SealedStore;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * seal → store: the one thread that appends selected records to the sealed store. Drains the selection queue in
 * each duty cycle and lets the store seal a batch that has waited past its timeout, so a quiet feed still gets
 * its records acknowledged within the batch timeout.
 */
public final class StoreWriter implements Agent
{
    private static final int DRAIN_LIMIT = 1024;

    private final ManyToOneRingBuffer queue;
    private final SealedStore store;
    private final MessageHandler append;
    private volatile RuntimeException failure;
    private final AtomicLong rejected = new AtomicLong();
    private volatile IllegalArgumentException firstRejection;

    public StoreWriter(final ManyToOneRingBuffer queue, final SealedStore store)
    {
        this.queue = queue;
        this.store = store;
        this.append = (type, buffer, index, length) ->
        {
            try
            {
                store.append(buffer, index, length);
            }
            catch (final IllegalArgumentException ex)
            {
                // a message that is not a record of its own length (a selection defect): never sealed, counted, and
                // the records before and after it are sealed as usual
                rejected.incrementAndGet();
                if (firstRejection == null)
                {
                    firstRejection = ex;
                }
            }
        };
    }

    /** Queued messages the store refused because they were not a selected record of their length. */
    public long rejected()
    {
        return rejected.get();
    }

    /** Why the first refused message was refused (its counts, never its bytes), or null. */
    public IllegalArgumentException firstRejection()
    {
        return firstRejection;
    }

    @Override
    public String roleName()
    {
        return "store-writer";
    }

    @Override
    public int doWork()
    {
        try
        {
            return queue.read(append, DRAIN_LIMIT) + store.poll();
        }
        catch (final RuntimeException ex)
        {
            // the store cannot take records any more: stop rather than let selected records pile up unsealed
            failure = ex;
            throw new AgentTerminationException(ex);
        }
    }

    /** Why the writer stopped, or null while it is healthy. */
    public RuntimeException failure()
    {
        return failure;
    }

    /**
     * Appends everything still queued and seals the open batch: used once the pipeline and this agent's own thread
     * have stopped. A failure is recorded in {@link #failure()} instead of thrown.
     */
    public void drainAndFlush()
    {
        try
        {
            while (failure == null && queue.size() > 0)
            {
                doWork();
            }
            if (failure == null)
            {
                store.flush();
            }
        }
        catch (final AgentTerminationException ex)
        {
            // doWork recorded the cause
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
    }
}
