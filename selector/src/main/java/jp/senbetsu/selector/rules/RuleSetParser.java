package jp.senbetsu.selector.rules;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.table.CountryCode;
import jp.senbetsu.selector.trie.Cidr;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a rule-set YAML document (the language is in {@code docs/rule-language.md}) into a {@link RuleSet}.
 * Strict: unknown keys, duplicate keys, duplicate rule IDs, host bits in prefixes, unknown categories, rules
 * citing undeclared approvals and timestamps without an offset are all refused, each error naming the file,
 * line, rule and field.
 */
public final class RuleSetParser
{
    private static final Set<String> TOP_KEYS = Set.of(
        "rule_set", "version", "issuer", "valid_from", "valid_until", "categories", "table", "approvals", "rules");
    private static final Pattern TABLE_VERSION = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> APPROVAL_KEYS = Set.of("id", "retention", "description");
    private static final Set<String> RULE_KEYS = Set.of(
        "id", "approval", "categories", "valid_from", "valid_until", "match", "keep", "description");
    private static final Set<String> MATCH_KEYS = Set.of(
        "src", "dst", "either", "src_ports", "dst_ports", "ports", "protocols", "tcp_flags", "foreign_countries",
        "foreign_asns");
    private static final Map<String, Integer> PROTOCOLS = Map.of(
        "icmp", 1, "tcp", 6, "udp", 17, "gre", 47, "esp", 50, "ah", 51, "icmpv6", 58, "ipv6-icmp", 58, "sctp", 132);

    private final String source;
    private String ruleId;

    private RuleSetParser(final String source)
    {
        this.source = source;
    }

    public static RuleSet parse(final Path file)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new RuleSetException(file + ": cannot read rule set: " + ex.getMessage(), ex);
        }
        final String text;
        try
        {
            text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new RuleSetException(file + ": rule set is not UTF-8 text");
        }
        return parse(text, file.toString());
    }

    public static RuleSet parse(final String text, final String source)
    {
        return new RuleSetParser(source).document(text);
    }

    private RuleSet document(final String text)
    {
        final LoadSettings settings = LoadSettings.builder()
            .setLabel(source)
            .setAllowDuplicateKeys(false)
            .setMaxAliasesForCollections(0)
            .setCodePointLimit(16 * 1024 * 1024)
            .build();
        final Node root;
        try
        {
            final Iterable<Node> documents = new Compose(settings).composeAllFromString(text);
            final List<Node> list = new ArrayList<>();
            documents.forEach(list::add);
            if (list.size() != 1)
            {
                throw new RuleSetException(source + ": expected one YAML document, found " + list.size());
            }
            root = list.getFirst();
        }
        catch (final MarkedYamlEngineException ex)
        {
            final int line = ex.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new RuleSetException(source + ":" + line + ": not valid YAML: " + ex.getProblem());
        }
        catch (final YamlEngineException ex)
        {
            throw new RuleSetException(source + ": not valid YAML: " + ex.getMessage());
        }
        final Map<String, Node> top = mapping(root, "the document", TOP_KEYS);
        final String id = identifier(required(top, root, "rule_set"), "rule_set");
        final int version = positiveInt(required(top, root, "version"), "version");
        final String issuer = scalar(required(top, root, "issuer"), "issuer");
        final Instant validFrom = instant(required(top, root, "valid_from"), "valid_from");
        final Instant validUntil = instant(required(top, root, "valid_until"), "valid_until");
        if (!validUntil.isAfter(validFrom))
        {
            throw error(top.get("valid_until"), "valid_until", "must be after valid_from " + validFrom);
        }
        final int authorised = categories(required(top, root, "categories"), "categories");
        final String tableVersion = tableVersion(required(top, root, "table"));
        final List<Approval> approvals = approvals(required(top, root, "approvals"));
        final List<Rule> rules = rules(required(top, root, "rules"), approvals, validFrom, validUntil);
        return new RuleSet(id, version, issuer, validFrom, validUntil, authorised, tableVersion, approvals, rules,
            CanonicalForm.of(root), source);
    }

    private List<Approval> approvals(final Node node)
    {
        final List<Approval> out = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        for (final Node item : sequence(node, "approvals"))
        {
            final Map<String, Node> fields = mapping(item, "approvals[" + out.size() + "]", APPROVAL_KEYS);
            final String id = identifier(required(fields, item, "id"), "approvals[].id");
            if (fields.containsKey("description"))
            {
                scalar(fields.get("description"), "approvals[" + id + "].description");
            }
            if (!ids.add(id))
            {
                throw error(fields.get("id"), "approvals[].id", "approval '" + id + "' is declared twice");
            }
            Period retention = Approval.DEFAULT_RETENTION;
            final Node retentionNode = fields.get("retention");
            if (retentionNode != null)
            {
                final String text = scalar(retentionNode, "retention");
                try
                {
                    retention = Period.parse(text);
                }
                catch (final DateTimeParseException ex)
                {
                    throw error(retentionNode, "approvals[" + id + "].retention",
                        "'" + text + "' is not an ISO-8601 period such as P2Y or P180D");
                }
                if (retention.isNegative() || retention.isZero())
                {
                    throw error(retentionNode, "approvals[" + id + "].retention", "must be positive");
                }
            }
            out.add(new Approval(id, retention, line(item)));
        }
        if (out.isEmpty())
        {
            throw error(node, "approvals", "at least one approval is required");
        }
        return out;
    }

    private List<Rule> rules(
        final Node node, final List<Approval> approvals, final Instant setFrom, final Instant setUntil)
    {
        final List<Rule> out = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        for (final Node item : sequence(node, "rules"))
        {
            ruleId = peekId(item);
            final Map<String, Node> fields = mapping(item, "rules[" + out.size() + "]", RULE_KEYS);
            ruleId = null;
            final String id = identifier(required(fields, item, "id"), "id");
            ruleId = id;
            if (!ids.add(id))
            {
                throw error(fields.get("id"), "id", "rule ID is used twice");
            }
            if (fields.containsKey("description"))
            {
                scalar(fields.get("description"), "description");
            }
            final Node approvalNode = required(fields, item, "approval");
            final String approval = identifier(approvalNode, "approval");
            if (approvals.stream().noneMatch(a -> a.id().equals(approval)))
            {
                throw error(approvalNode, "approval", "'" + approval + "' is not declared under approvals");
            }
            final int categories = categories(required(fields, item, "categories"), "categories");
            final Instant from = fields.containsKey("valid_from") ? instant(fields.get("valid_from"), "valid_from") :
                setFrom;
            final Instant until = fields.containsKey("valid_until") ?
                instant(fields.get("valid_until"), "valid_until") : setUntil;
            if (!until.isAfter(from))
            {
                throw error(fields.getOrDefault("valid_until", item), "valid_until", "must be after valid_from " +
                    from);
            }
            final Criteria criteria = criteria(required(fields, item, "match"));
            final int keep = keep(fields.get("keep"));
            final Instant effectiveFrom = from.isAfter(setFrom) ? from : setFrom;
            final Instant effectiveUntil = until.isBefore(setUntil) ? until : setUntil;
            out.add(new Rule(out.size(), id, approval, categories, effectiveFrom, effectiveUntil, criteria, keep,
                line(item)));
        }
        ruleId = null;
        if (out.isEmpty())
        {
            throw error(node, "rules", "at least one rule is required");
        }
        return out;
    }

    /** The rule's ID before the rule is checked, so errors in any of its keys can name it. */
    private static String peekId(final Node item)
    {
        if (item instanceof MappingNode mapping)
        {
            for (final NodeTuple t : mapping.getValue())
            {
                if (t.getKeyNode() instanceof ScalarNode key && "id".equals(key.getValue()) &&
                    t.getValueNode() instanceof ScalarNode value)
                {
                    return value.getValue();
                }
            }
        }
        return null;
    }

    private Criteria criteria(final Node node)
    {
        final Map<String, Node> fields = mapping(node, "match", MATCH_KEYS);
        final TcpFlagCondition flags = fields.containsKey("tcp_flags") ? tcpFlags(fields.get("tcp_flags")) : null;
        final List<Integer> protocols = protocols(fields.get("protocols"));
        if (flags != null && !protocols.isEmpty() && !protocols.contains(6))
        {
            throw error(fields.get("tcp_flags"), "match.tcp_flags", "a TCP flag test needs protocol tcp");
        }
        return new Criteria(
            cidrs(fields.get("src"), "match.src"),
            cidrs(fields.get("dst"), "match.dst"),
            cidrs(fields.get("either"), "match.either"),
            ports(fields.get("src_ports"), "match.src_ports"),
            ports(fields.get("dst_ports"), "match.dst_ports"),
            ports(fields.get("ports"), "match.ports"),
            flags != null && protocols.isEmpty() ? List.of(6) : protocols,
            flags,
            countries(fields.get("foreign_countries")),
            asns(fields.get("foreign_asns")));
    }

    private List<Cidr> cidrs(final Node node, final String field)
    {
        final List<Cidr> out = new ArrayList<>();
        final List<Node> items = list(node, field);
        for (int i = 0; i < items.size(); i++)
        {
            final String text = scalar(items.get(i), field + "[" + i + "]");
            try
            {
                out.add(Cidr.parse(text));
            }
            catch (final IllegalArgumentException ex)
            {
                throw error(items.get(i), field + "[" + i + "]", ex.getMessage());
            }
        }
        emptyListRefused(node, items, field);
        return List.copyOf(out);
    }

    private List<PortRange> ports(final Node node, final String field)
    {
        final List<PortRange> out = new ArrayList<>();
        final List<Node> items = list(node, field);
        for (int i = 0; i < items.size(); i++)
        {
            final String text = scalar(items.get(i), field + "[" + i + "]").strip();
            final int dash = text.indexOf('-');
            final int from = port(items.get(i), field + "[" + i + "]", dash < 0 ? text : text.substring(0, dash));
            final int to = dash < 0 ? from : port(items.get(i), field + "[" + i + "]", text.substring(dash + 1));
            if (to < from)
            {
                throw error(items.get(i), field + "[" + i + "]", "range '" + text + "' runs backwards");
            }
            out.add(new PortRange(from, to));
        }
        emptyListRefused(node, items, field);
        return List.copyOf(out);
    }

    private int port(final Node node, final String field, final String text)
    {
        try
        {
            final int port = Integer.parseInt(text.strip());
            if (port >= 0 && port <= 65535)
            {
                return port;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw error(node, field, "'" + text + "' is not a port 0..65535");
    }

    private List<Integer> protocols(final Node node)
    {
        final List<Integer> out = new ArrayList<>();
        final List<Node> items = list(node, "match.protocols");
        for (int i = 0; i < items.size(); i++)
        {
            final String text = scalar(items.get(i), "match.protocols[" + i + "]").strip().toLowerCase();
            Integer number = PROTOCOLS.get(text);
            if (number == null)
            {
                try
                {
                    number = Integer.parseInt(text);
                }
                catch (final NumberFormatException ex)
                {
                    number = -1;
                }
            }
            if (number < 0 || number > 255)
            {
                throw error(items.get(i), "match.protocols[" + i + "]", "'" + text +
                    "' is not a protocol name (tcp, udp, icmp, icmpv6, sctp, gre, esp, ah) or number 0..255");
            }
            if (!out.contains(number))
            {
                out.add(number);
            }
        }
        emptyListRefused(node, items, "match.protocols");
        return List.copyOf(out);
    }

    private TcpFlagCondition tcpFlags(final Node node)
    {
        final Map<String, Node> fields = mapping(node, "match.tcp_flags", Set.of("set", "unset"));
        int mask = 0;
        int value = 0;
        for (final String key : List.of("set", "unset"))
        {
            final List<Node> items = list(fields.get(key), "match.tcp_flags." + key);
            for (int i = 0; i < items.size(); i++)
            {
                final String name = scalar(items.get(i), "match.tcp_flags." + key + "[" + i + "]").toLowerCase();
                final int bit = TcpFlagCondition.bitOf(name);
                if (bit < 0)
                {
                    throw error(items.get(i), "match.tcp_flags." + key + "[" + i + "]", "'" + name +
                        "' is not a TCP flag (" + String.join(", ", TcpFlagCondition.NAMES) + ")");
                }
                if ((mask & bit) != 0)
                {
                    throw error(items.get(i), "match.tcp_flags." + key + "[" + i + "]", "'" + name +
                        "' is listed twice");
                }
                mask |= bit;
                if ("set".equals(key))
                {
                    value |= bit;
                }
            }
        }
        if (mask == 0)
        {
            throw error(node, "match.tcp_flags", "lists no flag under set or unset");
        }
        return new TcpFlagCondition(mask, value);
    }

    private List<Integer> countries(final Node node)
    {
        final List<Integer> out = new ArrayList<>();
        final List<Node> items = list(node, "match.foreign_countries");
        for (int i = 0; i < items.size(); i++)
        {
            final String text = scalar(items.get(i), "match.foreign_countries[" + i + "]");
            final int code = CountryCode.pack(text);
            if (code < 0 || !text.equals(text.toUpperCase()))
            {
                throw error(items.get(i), "match.foreign_countries[" + i + "]", "'" + text +
                    "' is not an upper-case ISO 3166 alpha-2 code");
            }
            out.add(code);
        }
        emptyListRefused(node, items, "match.foreign_countries");
        return List.copyOf(out);
    }

    private List<Long> asns(final Node node)
    {
        final List<Long> out = new ArrayList<>();
        final List<Node> items = list(node, "match.foreign_asns");
        for (int i = 0; i < items.size(); i++)
        {
            final String text = scalar(items.get(i), "match.foreign_asns[" + i + "]");
            long asn;
            try
            {
                asn = Long.parseLong(text.replaceFirst("^(?i)AS", ""));
            }
            catch (final NumberFormatException ex)
            {
                asn = -1;
            }
            if (asn <= 0 || asn > 0xFFFF_FFFFL)
            {
                throw error(items.get(i), "match.foreign_asns[" + i + "]", "'" + text + "' is not an AS number");
            }
            out.add(asn);
        }
        emptyListRefused(node, items, "match.foreign_asns");
        return List.copyOf(out);
    }

    private int keep(final Node node)
    {
        int mask = 0;
        final List<Node> items = list(node, "keep");
        for (int i = 0; i < items.size(); i++)
        {
            final String text = scalar(items.get(i), "keep[" + i + "]");
            final KeepField field = KeepField.ofKey(text);
            if (field == null)
            {
                throw error(items.get(i), "keep[" + i + "]", "'" + text + "' is not an optional field (" +
                    String.join(", ", java.util.Arrays.stream(KeepField.values()).map(KeepField::key).toList()) + ")");
            }
            mask |= field.bit();
        }
        return mask;
    }

    private int categories(final Node node, final String field)
    {
        int mask = 0;
        final List<Node> items = list(node, field);
        for (int i = 0; i < items.size(); i++)
        {
            final String text = scalar(items.get(i), field + "[" + i + "]");
            final Category category = Category.ofLabel(text);
            if (category == null || !category.eligible())
            {
                throw error(items.get(i), field + "[" + i + "]", "'" + text + "' is not a selectable category " +
                    "(foreign-foreign, foreign-domestic, domestic-foreign); domestic-domestic and unknown never are");
            }
            mask |= 1 << category.code();
        }
        if (mask == 0)
        {
            throw error(node, field, "lists no category");
        }
        return mask;
    }

    private void emptyListRefused(final Node node, final List<Node> items, final String field)
    {
        if (node != null && items.isEmpty())
        {
            // an empty list would read as "no constraint": a signed document must not widen a rule by accident
            throw error(node, field, "is an empty list; leave the key out to mean any");
        }
    }

    private Map<String, Node> mapping(final Node node, final String field, final Set<String> allowed)
    {
        if (!(node instanceof MappingNode mapping))
        {
            throw error(node, field, "must be a mapping");
        }
        final Map<String, Node> out = new HashMap<>();
        for (final NodeTuple tuple : mapping.getValue())
        {
            if (!(tuple.getKeyNode() instanceof ScalarNode key))
            {
                throw error(tuple.getKeyNode(), field, "keys must be plain names");
            }
            if (!allowed.contains(key.getValue()))
            {
                throw error(key, key.getValue(), "unknown key in " + field + " (allowed: " +
                    String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            if (out.put(key.getValue(), tuple.getValueNode()) != null)
            {
                throw error(key, key.getValue(), "key appears twice");
            }
        }
        return out;
    }

    private List<Node> sequence(final Node node, final String field)
    {
        if (!(node instanceof SequenceNode sequence))
        {
            throw error(node, field, "must be a list");
        }
        return sequence.getValue();
    }

    /** A list, or a single scalar standing for a one-element list; empty if the key is absent. */
    private List<Node> list(final Node node, final String field)
    {
        if (node == null)
        {
            return List.of();
        }
        if (node instanceof ScalarNode)
        {
            return List.of(node);
        }
        return sequence(node, field);
    }

    private Node required(final Map<String, Node> fields, final Node parent, final String key)
    {
        final Node node = fields.get(key);
        if (node == null)
        {
            throw error(parent, key, "is required");
        }
        return node;
    }

    private String scalar(final Node node, final String field)
    {
        if (!(node instanceof ScalarNode scalar))
        {
            throw error(node, field, "must be a single value");
        }
        return scalar.getValue();
    }

    private String identifier(final Node node, final String field)
    {
        final String text = scalar(node, field);
        if (text.isEmpty() || text.length() > SelectedFlowRecord.MAX_ID_LENGTH ||
            !text.chars().allMatch(c -> c > 0x20 && c < 0x7F))
        {
            throw error(node, field, "'" + text + "' must be 1.." + SelectedFlowRecord.MAX_ID_LENGTH +
                " printable ASCII characters without spaces");
        }
        return text;
    }

    /** The bound domestic table: its full version as {@code rules table build} prints it. */
    private String tableVersion(final Node node)
    {
        final String text = scalar(node, "table");
        if (!TABLE_VERSION.matcher(text).matches())
        {
            throw error(node, "table", "'" + text + "' is not a domestic table version: 64 lower-case hex digits " +
                "as 'senbetsu rules table build' prints them");
        }
        return text;
    }

    private int positiveInt(final Node node, final String field)
    {
        final String text = scalar(node, field);
        try
        {
            final int value = Integer.parseInt(text);
            if (value > 0)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw error(node, field, "'" + text + "' is not a positive integer");
    }

    private Instant instant(final Node node, final String field)
    {
        final String text = scalar(node, field);
        try
        {
            return OffsetDateTime.parse(text).toInstant();
        }
        catch (final DateTimeParseException ex)
        {
            throw error(node, field, "'" + text + "' is not a timestamp with offset such as 2026-04-01T00:00:00+09:00");
        }
    }

    private static int line(final Node node)
    {
        return node == null ? 0 : node.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
    }

    private RuleSetException error(final Node node, final String field, final String problem)
    {
        final Optional<String> rule = Optional.ofNullable(ruleId);
        return new RuleSetException(source + ":" + line(node) + ": " +
            rule.map(r -> "rule '" + r + "' ").orElse("") + "field '" + field + "': " + problem);
    }
}
