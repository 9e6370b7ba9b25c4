package jp.senbetsu.capture.file;

/**
 * Cursor over the options of a pcapng block: a sequence of (code, length, value padded to 32 bits) ending at
 * {@code opt_endofopt} or at the end of the block body. {@link #next()} refuses an option whose value would
 * run past the body, which is how a damaged block such as libpcap's {@code shb-option-too-long} shows.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      Option Code              |         Option Length         |  0
 *  +-------------------------------+-------------------------------+
 *  /       Option Value (Option Length bytes, padded to 32 bits)   /  4
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class PcapngOptions extends OrderedFlyweight
{
    static final int CODE_OFFSET = 0;
    static final int LENGTH_OFFSET = 2;
    static final int VALUE_OFFSET = 4;
    static final int HEADER_LENGTH = 4;
    static final int END_OF_OPTIONS = 0;

    /** Outcome of {@link #next()}. */
    static final int OPTION = 1;
    static final int END = 0;
    static final int OVERRUN = -1;

    private int position;
    private int limit;
    private int code;
    private int length;

    /** Starts at {@code start} (buffer index) with the options area ending before {@code limit}. */
    void reset(final int start, final int limit)
    {
        this.position = start;
        this.limit = limit;
        this.code = -1;
        this.length = 0;
    }

    /**
     * Moves to the next option.
     *
     * @return {@link #OPTION} when one is current, {@link #END} at opt_endofopt or the end of the area, or
     * {@link #OVERRUN} when the option's header or value does not fit in the area.
     */
    int next()
    {
        if (code >= 0)
        {
            position += HEADER_LENGTH + ((length + 3) & ~3);
        }
        if (position >= limit)
        {
            return END;
        }
        if (position + HEADER_LENGTH > limit)
        {
            return OVERRUN;
        }
        code = buffer.getShort(position + CODE_OFFSET, order) & 0xFFFF;
        length = buffer.getShort(position + LENGTH_OFFSET, order) & 0xFFFF;
        if (code == END_OF_OPTIONS)
        {
            return END;
        }
        if (position + HEADER_LENGTH + length > limit)
        {
            return OVERRUN;
        }
        return OPTION;
    }

    int code()
    {
        return code;
    }

    int length()
    {
        return length;
    }

    /** Buffer index of the current option's header. */
    int position()
    {
        return position;
    }

    /** Buffer index of the current option's value. */
    int valueIndex()
    {
        return position + VALUE_OFFSET;
    }

    byte byteValue()
    {
        return buffer.getByte(position + VALUE_OFFSET);
    }

    long longValue()
    {
        return buffer.getLong(position + VALUE_OFFSET, order);
    }
}
