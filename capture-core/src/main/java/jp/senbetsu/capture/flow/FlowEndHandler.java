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
     * No more flows end for now on this thread: called after each batch of slots the shard takes from the ring
     * (whether or not one of them was its packet; with the clock advance that follows) and after the shutdown
     * flush. A handler that collects ended flows to handle them together, such as the selection stage deciding
     * them in batches, handles what it holds here, so no flow waits for more traffic and none is left behind at
     * shutdown. Its copies are of flows not yet selected: keep them in confidential memory, as the flow table does
     * ({@link jp.senbetsu.capture.memory.DirectRegion}). Does nothing by default.
     */
    default void onFlowsEnded()
    {
    }
}
