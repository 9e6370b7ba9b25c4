package jp.senbetsu.capture.flow;

/**
 * The {@link FlowEndHandler} threw on one or more ended flows. The flow table finishes its own bookkeeping first
 * (the entry is back on the free list, the rest of a wheel bucket still expires), so a failing handler costs
 * exactly the flows it threw on; they are counted here ({@link #flows()}) and the first cause is kept. Nothing of
 * a flow's record is part of the message.
 */
public final class FlowEndFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private int flows;

    public FlowEndFailure(final RuntimeException first)
    {
        super("flow end handler failed: " + first.getClass().getName(), first, false, false);
        flows = 1;
    }

    /** Flows, or packets, whose handling failed. */
    public int flows()
    {
        return flows;
    }

    /** Adds another failure (a {@link FlowEndFailure} adds its count, anything else one). */
    public FlowEndFailure add(final RuntimeException other)
    {
        flows += other instanceof FlowEndFailure f ? f.flows : 1;
        return this;
    }

    /** {@code failure} joined to {@code so far} (which may be null). */
    public static FlowEndFailure join(final FlowEndFailure soFar, final RuntimeException failure)
    {
        if (soFar == null)
        {
            return failure instanceof FlowEndFailure f ? f : new FlowEndFailure(failure);
        }
        return soFar.add(failure);
    }
}
