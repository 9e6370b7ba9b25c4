package jp.senbetsu.store.ipfix;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;

/**
 * Writes selected records as an IPFIX file (RFC 7011 messages, one after the other, as RFC 5655 files are):
 * every message carries the template set first, so each message stands alone and a collector or
 * {@code tshark -r} can start reading anywhere. Only selected records are ever given to it; it has no field that
 * could hold payload.
 *
 * <pre>
 *   Message header (16): version 10 | length | export time (s) | sequence (data records before it) | domain ID
 *   Set 2 (templates):   template 256 (IPv4 flows), template 257 (IPv6 flows)
 *   Set 256 / 257:       data records in template order
 * </pre>
 */
public final class IpfixFileWriter implements AutoCloseable
{
    /** Largest message: IPFIX lengths are 16 bits. */
    private static final int MAX_MESSAGE = 65_535;
    private static final int HEADER_LENGTH = 16;
    private static final int SET_HEADER_LENGTH = 4;
    private static final int IPFIX_VERSION = 10;
    private static final int TEMPLATE_SET_ID = 2;
    /** Seconds from the NTP epoch (1900) to the Unix epoch, for dateTimeNanoseconds. */
    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;
    private static final int MAX_RECORD = 2 * 8 + 2 * 16 + 2 + 2 + 1 + 2 + 2 + 8 + 8 + 2 + 8 + 8 + 2 + 1 + 1 + 255;

    private final OutputStream out;
    private final long observationDomain;
    private final byte[] templates;
    private final ByteBuffer message = ByteBuffer.allocate(MAX_MESSAGE).order(ByteOrder.BIG_ENDIAN);
    private final byte[] v4 = new byte[4];
    private final byte[] v6 = new byte[16];
    private IpfixTemplate openSet;
    private int openSetStart = -1;
    private long sequence;
    private long messageSequence;
    private final long exportTimeSeconds;

    /**
     * @param out               where the messages go (a file, or an encrypting export stream).
     * @param observationDomain IPFIX observation domain ID of this appliance.
     * @param exportTimeSeconds export time written in every message header (seconds since the epoch).
     */
    public IpfixFileWriter(final OutputStream out, final long observationDomain, final long exportTimeSeconds)
    {
        this.out = out;
        this.observationDomain = observationDomain;
        this.exportTimeSeconds = exportTimeSeconds;
        this.templates = templateSet();
        startMessage();
    }

    /** Appends one selected record, starting a new message when this one is full. */
    public void write(final SelectedFlowRecord record) throws IOException
    {
        final FlowRecord flow = record.flow();
        final IpfixTemplate template = flow.ipVersion() == 6 ? IpfixTemplate.IPV6 : IpfixTemplate.IPV4;
        if (message.position() + SET_HEADER_LENGTH + MAX_RECORD > MAX_MESSAGE)
        {
            flushMessage();
            startMessage();
        }
        if (openSet != template)
        {
            closeSet();
            openSet = template;
            openSetStart = message.position();
            message.putShort((short)template.templateId).putShort((short)0);
        }
        putTime(flow.startNs());
        putTime(flow.endNs());
        final byte[] address = template == IpfixTemplate.IPV6 ? v6 : v4;
        flow.buffer().getBytes(flow.srcAddressOffset(), address);
        message.put(address);
        flow.buffer().getBytes(flow.dstAddressOffset(), address);
        message.put(address);
        message.putShort((short)flow.srcPort()).putShort((short)flow.dstPort()).put((byte)flow.protocol());
        message.putShort((short)(flow.hasFlag(FlowRecord.FLAG_HAS_ICMP) ? flow.icmpType() << 8 | flow.icmpCode() : 0));
        message.putShort((short)flow.vlanId());
        message.putLong(flow.packets()).putLong(flow.bytes()).putShort((short)flow.tcpFlags());
        message.putLong(flow.reversePackets()).putLong(flow.reverseBytes()).putShort((short)flow.reverseTcpFlags());
        message.put((byte)flow.endReason());
        final byte[] selector = (record.approvalId() + "/" + record.ruleId()).getBytes(StandardCharsets.US_ASCII);
        message.put((byte)selector.length).put(selector);
        sequence++;
    }

    @Override
    public void close() throws IOException
    {
        flushMessage();
        out.flush();
    }

    private void putTime(final long epochNs)
    {
        final long seconds = Math.floorDiv(epochNs, 1_000_000_000L);
        final long nanos = Math.floorMod(epochNs, 1_000_000_000L);
        message.putInt((int)(seconds + NTP_EPOCH_OFFSET));
        // rounded up, so that a reader converting back and truncating gets the exact nanosecond
        message.putInt((int)(((nanos << 32) + 999_999_999L) / 1_000_000_000L));
    }

    private void startMessage()
    {
        message.clear();
        message.position(HEADER_LENGTH);
        message.put(templates);
        messageSequence = sequence;
        openSet = null;
        openSetStart = -1;
    }

    private void closeSet()
    {
        if (openSetStart >= 0)
        {
            message.putShort(openSetStart + 2, (short)(message.position() - openSetStart));
            openSetStart = -1;
        }
    }

    private void flushMessage() throws IOException
    {
        closeSet();
        final int length = message.position();
        message.putShort(0, (short)IPFIX_VERSION).putShort(2, (short)length)
            .putInt(4, (int)exportTimeSeconds).putInt(8, (int)messageSequence).putInt(12, (int)observationDomain);
        out.write(message.array(), 0, length);
    }

    private static byte[] templateSet()
    {
        final ByteBuffer set = ByteBuffer.allocate(512).order(ByteOrder.BIG_ENDIAN);
        set.putShort((short)TEMPLATE_SET_ID).putShort((short)0);
        for (final IpfixTemplate template : IpfixTemplate.values())
        {
            final int[][] fields = template.fields();
            set.putShort((short)template.templateId).putShort((short)fields.length);
            for (final int[] field : fields)
            {
                final boolean enterprise = field[2] != 0;
                set.putShort((short)(field[0] | (enterprise ? IpfixTemplate.ENTERPRISE_BIT : 0)))
                    .putShort((short)field[1]);
                if (enterprise)
                {
                    set.putInt(field[2]);
                }
            }
        }
        set.putShort(2, (short)set.position());
        final byte[] bytes = new byte[set.position()];
        set.flip().get(bytes);
        return bytes;
    }
}
