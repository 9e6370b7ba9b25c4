package jp.senbetsu.capture.decode;

import java.util.function.ObjLongConsumer;

/**
 * How many packets ended with each {@link DecodeStatus}: malformed and unsupported packets never stop decoding,
 * they are counted here by reason so an operator sees what the decoder skipped. Single writer (the decode
 * thread); plain longs, no allocation per increment.
 */
public final class DecodeCounters
{
    private final long[] counts = new long[DecodeStatus.maxCode() + 1];

    /** Count one packet that ended with this status. */
    public void increment(final DecodeStatus status)
    {
        counts[status.code()]++;
    }

    public long count(final DecodeStatus status)
    {
        return counts[status.code()];
    }

    /** All packets counted, whatever their status. */
    public long total()
    {
        long total = 0;
        for (final long c : counts)
        {
            total += c;
        }
        return total;
    }

    /** Packets counted with a status other than {@link DecodeStatus#OK}. */
    public long notOk()
    {
        return total() - counts[DecodeStatus.OK.code()];
    }

    /** Visit every status with a non-zero count, in code order. */
    public void forEachNonZero(final ObjLongConsumer<DecodeStatus> consumer)
    {
        for (int code = 0; code < counts.length; code++)
        {
            final DecodeStatus status = DecodeStatus.ofCode(code);
            if (status != null && counts[code] != 0)
            {
                consumer.accept(status, counts[code]);
            }
        }
    }

    public void reset()
    {
        java.util.Arrays.fill(counts, 0);
    }
}
