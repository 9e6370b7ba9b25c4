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
}
