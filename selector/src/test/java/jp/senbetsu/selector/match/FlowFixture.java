package jp.senbetsu.selector.match;

import java.nio.ByteOrder;

import jp.senbetsu.capture.record.FlowRecord;
import org.agrona.concurrent.UnsafeBuffer;

/** Writes flow records for tests: addresses as top-aligned keys, the rest as given. */
final class FlowFixture
{
    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FlowRecord.LENGTH]);
    final FlowRecord flow = new FlowRecord().wrap(buffer, 0);

    FlowRecord set(
        final int family, final long[] src, final long[] dst, final int protocol, final int srcPort,
        final int dstPort, final int tcpFlags, final int reverseTcpFlags, final long endNs, final boolean hasPorts)
    {
        flow.clear();
        flow.ipVersion(family).protocol(protocol).srcPort(srcPort).dstPort(dstPort).tcpFlags(tcpFlags)
            .reverseTcpFlags(reverseTcpFlags).startNs(endNs - 1_000_000).endNs(endNs)
            .flowFlags(hasPorts ? FlowRecord.FLAG_HAS_PORTS : 0);
        address(FlowRecord.SRC_ADDRESS_OFFSET, family, src);
        address(FlowRecord.DST_ADDRESS_OFFSET, family, dst);
        return flow;
    }

    private void address(final int offset, final int family, final long[] key)
    {
        if (family == 4)
        {
            buffer.putInt(offset, (int)(key[0] >>> 32), ByteOrder.BIG_ENDIAN);
        }
        else
        {
            buffer.putLong(offset, key[0], ByteOrder.BIG_ENDIAN);
            buffer.putLong(offset + 8, key[1], ByteOrder.BIG_ENDIAN);
        }
    }
}
