package jp.senbetsu.capture.flow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jp.senbetsu.capture.record.FlowEndReason;
import jp.senbetsu.capture.record.FlowRecord;
import org.agrona.concurrent.UnsafeBuffer;

/** Collects copies of ended flows in end order, for assertions. */
public final class EndedFlows implements FlowEndHandler
{
    public final List<Flow> flows = new ArrayList<>();

    @Override
    public synchronized void onFlowEnd(final FlowRecord flow)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[FlowRecord.LENGTH]);
        copy.putBytes(0, flow.buffer(), flow.offset(), FlowRecord.LENGTH);
        flows.add(new Flow(new FlowRecord().wrap(copy, 0)));
    }

    public synchronized List<Flow> snapshot()
    {
        return new ArrayList<>(flows);
    }

    /** One ended flow, with readable accessors. */
    public record Flow(FlowRecord record)
    {
        public String src()
        {
            return address(record.srcAddressOffset());
        }

        public String dst()
        {
            return address(record.dstAddressOffset());
        }

        public FlowEndReason reason()
        {
            return FlowEndReason.ofCode(record.endReason());
        }

        public long packets()
        {
            return record.packets();
        }

        public long reversePackets()
        {
            return record.reversePackets();
        }

        private String address(final int offset)
        {
            final byte[] bytes = new byte[16];
            record.buffer().getBytes(offset, bytes);
            final boolean v4 = record.ipVersion() == 4;
            try
            {
                return InetAddress.getByAddress(v4 ? Arrays.copyOf(bytes, 4) : bytes).getHostAddress();
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public String toString()
        {
            return src() + ":" + record.srcPort() + "->" + dst() + ":" + record.dstPort() + "/" + record.protocol()
                + " " + reason() + " " + record.packets() + "/" + record.reversePackets()
                + " [" + record.startNs() + "," + record.endNs() + "]";
        }
    }
}
