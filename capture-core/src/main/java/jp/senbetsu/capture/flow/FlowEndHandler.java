package jp.senbetsu.capture.flow;

import jp.senbetsu.capture.record.FlowRecord;

/**
 * Receives every flow the meter ends, whatever the reason; the selection stage implements it. The record is a
 * flyweight over the flow table's own memory, valid only during the call: copy what must outlive it.
 * Called on the thread of the table's shard.
 */
@FunctionalInterface
public interface FlowEndHandler
{
    void onFlowEnd(FlowRecord flow);

    /**
     * No more flows end for now on this thread: called after each metered batch of packets (with the clock
     * advance that follows it) and after the shutdown flush. A handler that collects ended flows (copied) to
     * handle them together, such as the selection stage deciding them in batches, handles what it holds here,
     * so no flow waits for more traffic and none is left behind at shutdown. Does nothing by default.
     */
    default void onFlowsEnded()
    {
    }
}
