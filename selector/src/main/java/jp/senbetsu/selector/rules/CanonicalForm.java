package jp.senbetsu.selector.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The bytes a rule set's signatures cover: the document tree written as canonical JSON (mapping keys sorted,
 * every scalar as a JSON string, no whitespace) after a domain-separation line. Comments, indentation, key order
 * and quoting style do not change them; any change of meaning does. Approvers sign what they read, not a layout.
 */
public final class CanonicalForm
{
    /** Prefix that keeps a rule-set signature from being valid for any other kind of document. */
    public static final String DOMAIN = "senbetsu rule set v1\n";

    private CanonicalForm()
    {
    }

    public static byte[] of(final Node root)
    {
        final StringBuilder out = new StringBuilder(DOMAIN);
        write(root, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(final Node node, final StringBuilder out)
    {
        switch (node)
        {
            case ScalarNode scalar -> string(scalar.getValue(), out);
            case SequenceNode sequence ->
            {
                out.append('[');
                boolean first = true;
                for (final Node item : sequence.getValue())
                {
                    if (!first)
                    {
                        out.append(',');
                    }
                    first = false;
                    write(item, out);
                }
                out.append(']');
            }
            case MappingNode mapping ->
            {
                final List<NodeTuple> tuples = new ArrayList<>(mapping.getValue());
                tuples.sort(Comparator.comparing(t -> ((ScalarNode)t.getKeyNode()).getValue()));
                out.append('{');
                boolean first = true;
                for (final NodeTuple t : tuples)
                {
                    if (!first)
                    {
                        out.append(',');
                    }
                    first = false;
                    string(((ScalarNode)t.getKeyNode()).getValue(), out);
                    out.append(':');
                    write(t.getValueNode(), out);
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException("unsupported YAML node " + node.getNodeType());
        }
    }

    /**
     * Spelled out here, not shared with the store's JSON output although it escapes the same way today: these
     * bytes are what approvers signed, so they must never change when an output format changes.
     */
    private static void string(final String value, final StringBuilder out)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
