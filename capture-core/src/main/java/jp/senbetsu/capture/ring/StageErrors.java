package jp.senbetsu.capture.ring;

import com.lmax.disruptor.ExceptionHandler;
import jp.senbetsu.capture.flow.FlowEndFailure;
import jp.senbetsu.capture.metrics.Counter;
import jp.senbetsu.capture.metrics.MetricsRegistry;

/**
 * What happens when a stage throws on a slot: the slot is counted ({@code senbetsu_stage_errors_total}) and
 * skipped, and the pipeline keeps running, since one bad packet must never stop capture. The first error is
 * kept so that tools on capture files can report it; nothing of the packet is ever part of it.
 */
final class StageErrors implements ExceptionHandler<PacketSlot>
{
    static final String ERRORS = "senbetsu_stage_errors_total";

    private final Counter errors;
    private volatile Throwable first;

    StageErrors(final MetricsRegistry registry)
    {
        errors = registry.counter(ERRORS,
            "Packets, flows or decision batches a pipeline stage failed on and skipped (defects, not bad input).");
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final PacketSlot slot)
    {
        record(ex);
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        first = first == null ? ex : first;
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        record(ex);
    }

    private void record(final Throwable ex)
    {
        // a flow stage finishes its batch and reports every flow or packet it failed on at once
        errors.addAtomic(ex instanceof FlowEndFailure f ? f.flows() : 1);
        if (first == null)
        {
            first = ex instanceof FlowEndFailure && ex.getCause() != null ? ex.getCause() : ex;
        }
    }

    /** The first error any stage raised, or null. */
    Throwable first()
    {
        return first;
    }
}
