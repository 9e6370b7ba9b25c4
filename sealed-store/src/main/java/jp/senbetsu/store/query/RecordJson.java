package jp.senbetsu.store.query;

import java.util.ArrayList;
import java.util.List;

import jp.senbetsu.capture.record.AddressText;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.store.json.JsonWriter;

/**
 * One selected record as a JSON Lines object: the flow's machine information, the selection trailer (category,
 * approval, deciding rule, every matching rule, rule set, table version) and where it is stored (partition, batch). Field names are stable and
 * documented in docs/store-format.md.
 */
public final class RecordJson
{

    /** Appends the record as one line (with trailing newline) to {@code out}. */
    public void write(final SelectedFlowRecord record, final String partition, final long batch,
        final StringBuilder out)
    {
        final FlowRecord flow = record.flow();
        final JsonWriter json = new JsonWriter(out).begin();
        json.field("startNs", flow.startNs())
            .field("endNs", flow.endNs())
            .field("ipVersion", flow.ipVersion())
            .field("src", address(flow, flow.srcAddressOffset()))
            .field("dst", address(flow, flow.dstAddressOffset()))
            .field("srcPort", flow.srcPort())
            .field("dstPort", flow.dstPort())
            .field("protocol", flow.protocol())
            .field("packets", flow.packets())
            .field("bytes", flow.bytes())
            .field("wireBytes", flow.wireBytes())
            .field("reversePackets", flow.reversePackets())
            .field("reverseBytes", flow.reverseBytes())
            .field("reverseWireBytes", flow.reverseWireBytes())
            .field("tcpFlags", flow.tcpFlags())
            .field("reverseTcpFlags", flow.reverseTcpFlags())
            .field("endReason", flow.endReason())
            .field("flowFlags", flow.flowFlags())
            .field("category", record.category())
            .field("approvalId", record.approvalId())
            .field("ruleId", record.ruleId())
            .field("matchedRuleCount", record.matchedRuleCount())
            .field("matchedRules", matchedRules(record))
            .field("ruleSetId", record.ruleSetId())
            .field("ruleSetVersion", record.ruleSetVersion())
            .field("tableVersion", DomesticTable.versionText(record.tableVersion()))
            .field("partition", partition)
            .field("batch", batch)
            .end();
        out.append('\n');
    }

    /** The deciding rule, then every further matching rule the record names, in priority order. */
    private static List<String> matchedRules(final SelectedFlowRecord record)
    {
        final int further = record.furtherRuleCount();
        final List<String> ids = new ArrayList<>(1 + further);
        ids.add(record.ruleId());
        for (int i = 0; i < further; i++)
        {
            ids.add(record.furtherRuleId(i));
        }
        return ids;
    }

    private static String address(final FlowRecord flow, final int offset)
    {
        return AddressText.toString(flow.ipVersion(), flow.buffer(), offset);
    }
}
