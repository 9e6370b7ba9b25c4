package jp.senbetsu.appliance.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * One mapping of the configuration file, read with types, defaults and bounds, and with every value's position
 * kept so that a mistake is reported at its line. Keys that are read are remembered: {@link #rejectUnknownKeys()}
 * then refuses anything left over, so a misspelt key is an error instead of a silently ignored setting.
 */
public final class ConfigNode
{
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");

    private final String file;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> read = new LinkedHashSet<>();
    private final List<ConfigNode> children = new ArrayList<>();

    ConfigNode(final String file, final String path, final Node node)
    {
        this.file = file;
        this.path = path;
        this.node = node;
        if (node != null)
        {
            if (!(node instanceof MappingNode mapping))
            {
                throw error(node, "", "expected a mapping of keys to values");
            }
            for (final NodeTuple tuple : mapping.getValue())
            {
                if (!(tuple.getKeyNode() instanceof ScalarNode key))
                {
                    throw error(tuple.getKeyNode(), "", "keys must be plain words");
                }
                if (entries.put(key.getValue(), tuple) != null)
                {
                    throw error(key, key(key.getValue()), "key appears twice");
                }
            }
        }
    }

    /** Dotted path of this mapping from the document root; empty for the root. */
    public String path()
    {
        return path;
    }

    /** Whether the key is present. Does not count as reading it. */
    public boolean has(final String key)
    {
        return entries.containsKey(key);
    }

    /** The nested mapping under key; an empty one (all defaults) when absent. */
    public ConfigNode section(final String key)
    {
        final Node value = value(key);
        final ConfigNode child = new ConfigNode(file, key(key), value);
        children.add(child);
        return child;
    }

    /** The list of mappings under key; empty when absent. */
    public List<ConfigNode> sections(final String key)
    {
        final Node value = value(key);
        final List<ConfigNode> list = new ArrayList<>();
        if (value == null)
        {
            return list;
        }
        if (!(value instanceof SequenceNode sequence))
        {
            throw error(value, key(key), "expected a list");
        }
        int i = 0;
        for (final Node item : sequence.getValue())
        {
            final ConfigNode child = new ConfigNode(file, key(key) + "[" + i++ + "]", item);
            children.add(child);
            list.add(child);
        }
        return list;
    }

    /** A list of strings under key; the default when absent. */
    public List<String> strings(final String key, final List<String> defaultValue)
    {
        final Node value = value(key);
        if (value == null)
        {
            return defaultValue;
        }
        if (!(value instanceof SequenceNode sequence))
        {
            throw error(value, key(key), "expected a list of strings");
        }
        final List<String> list = new ArrayList<>();
        for (final Node item : sequence.getValue())
        {
            if (!(item instanceof ScalarNode scalar))
            {
                throw error(item, key(key), "expected a string");
            }
            list.add(scalar.getValue());
        }
        return list;
    }

    public String string(final String key, final String defaultValue)
    {
        final ScalarNode scalar = scalar(key);
        return scalar == null ? defaultValue : scalar.getValue();
    }

    /** A string that must be present. */
    public String requiredString(final String key)
    {
        final ScalarNode scalar = scalar(key);
        if (scalar == null || scalar.getValue().isBlank())
        {
            throw new ConfigException(locate(node), key(key), "is required");
        }
        return scalar.getValue();
    }

    public boolean bool(final String key, final boolean defaultValue)
    {
        final ScalarNode scalar = scalar(key);
        if (scalar == null)
        {
            return defaultValue;
        }
        return switch (scalar.getValue().toLowerCase(Locale.ROOT))
        {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(scalar, key(key), "expected true or false; got '" + scalar.getValue() + "'");
        };
    }

    public long integer(final String key, final long defaultValue, final long min, final long max)
    {
        final ScalarNode scalar = scalar(key);
        if (scalar == null)
        {
            return defaultValue;
        }
        final long value;
        try
        {
            value = Long.parseLong(scalar.getValue().replace("_", ""));
        }
        catch (final NumberFormatException e)
        {
            throw error(scalar, key(key), "expected an integer; got '" + scalar.getValue() + "'");
        }
        return checkRange(scalar, key, value, min, max, Long.toString(min), Long.toString(max));
    }

    /** A byte size: a plain number of bytes or a number with B, KiB, MiB, GiB or TiB. */
    public long bytes(final String key, final long defaultValue, final long min, final long max)
    {
        final ScalarNode scalar = scalar(key);
        if (scalar == null)
        {
            return defaultValue;
        }
        final Matcher m = SIZE.matcher(scalar.getValue().trim());
        if (!m.matches())
        {
            throw error(scalar, key(key), "expected a size such as 64MiB; got '" + scalar.getValue() + "'");
        }
        final String unit = m.group(2) == null ? "B" : m.group(2);
        final int shift = switch (unit)
        {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> 0;
        };
        final long value;
        try
        {
            value = Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        }
        catch (final ArithmeticException | NumberFormatException e)
        {
            throw error(scalar, key(key), "size too large: '" + scalar.getValue() + "'");
        }
        return checkRange(scalar, key, value, min, max, min + " bytes", max + " bytes");
    }

    /** A duration: a number with ms, s, m, h or d ({@code 15s}, {@code 30m}), or ISO-8601 ({@code PT15S}). */
    public Duration duration(final String key, final Duration defaultValue, final Duration min, final Duration max)
    {
        final ScalarNode scalar = scalar(key);
        if (scalar == null)
        {
            return defaultValue;
        }
        final String text = scalar.getValue().trim();
        Duration value;
        final Matcher m = DURATION.matcher(text);
        try
        {
            if (m.matches())
            {
                final long n = Long.parseLong(m.group(1));
                value = switch (m.group(2))
                {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            else
            {
                value = Duration.parse(text);
            }
        }
        catch (final RuntimeException e)
        {
            throw error(scalar, key(key), "expected a duration such as 15s, 30m, 2h or 7d; got '" + text + "'");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0)
        {
            throw error(scalar, key(key), "must be between " + min + " and " + max + "; got " + text);
        }
        return value;
    }

    /** One of a fixed set of words. */
    public <E> E choice(final String key, final E defaultValue, final Map<String, E> choices)
    {
        final ScalarNode scalar = scalar(key);
        if (scalar == null)
        {
            return defaultValue;
        }
        final E value = choices.get(scalar.getValue());
        if (value == null)
        {
            throw error(scalar, key(key), "expected one of " + String.join(", ", choices.keySet())
                + "; got '" + scalar.getValue() + "'");
        }
        return value;
    }

    /** A problem with a value that was read correctly but is wrong in context (a missing file, say). */
    public ConfigException invalid(final String key, final String problem)
    {
        final NodeTuple tuple = entries.get(key);
        return new ConfigException(locate(tuple == null ? node : tuple.getValueNode()), key(key), problem);
    }

    /** Refuses any key in this mapping and every mapping read from it that no setting consumed. */
    public void rejectUnknownKeys()
    {
        for (final Map.Entry<String, NodeTuple> entry : entries.entrySet())
        {
            if (!read.contains(entry.getKey()))
            {
                final String suggestion = closest(entry.getKey());
                throw error(entry.getValue().getKeyNode(), key(entry.getKey()),
                    "unknown key" + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)"));
            }
        }
        for (final ConfigNode child : children)
        {
            child.rejectUnknownKeys();
        }
    }

    private long checkRange(
        final ScalarNode scalar, final String key, final long value, final long min, final long max,
        final String minText, final String maxText)
    {
        if (value < min || value > max)
        {
            throw error(scalar, key(key), "must be between " + minText + " and " + maxText + "; got "
                + scalar.getValue());
        }
        return value;
    }

    private Node value(final String key)
    {
        read.add(key);
        final NodeTuple tuple = entries.get(key);
        if (tuple == null)
        {
            return null;
        }
        final Node value = tuple.getValueNode();
        return value instanceof ScalarNode scalar && scalar.getValue().isEmpty() && isNull(scalar) ? null : value;
    }

    private static boolean isNull(final ScalarNode scalar)
    {
        return "tag:yaml.org,2002:null".equals(scalar.getTag().getValue());
    }

    private ScalarNode scalar(final String key)
    {
        final Node value = value(key);
        if (value == null)
        {
            return null;
        }
        if (!(value instanceof ScalarNode scalar))
        {
            throw error(value, key(key), "expected a single value, not a list or mapping");
        }
        return scalar;
    }

    private String closest(final String unknown)
    {
        String best = null;
        int bestDistance = 3;
        for (final String candidate : read)
        {
            final int d = editDistance(unknown, candidate);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static int editDistance(final String a, final String b)
    {
        final int[] previous = new int[b.length() + 1];
        final int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            System.arraycopy(current, 0, previous, 0, current.length);
        }
        return previous[b.length()];
    }

    private String key(final String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    private ConfigException error(final Node at, final String key, final String problem)
    {
        return new ConfigException(locate(at), key, problem);
    }

    private String locate(final Node at)
    {
        if (at == null || at.getStartMark().isEmpty())
        {
            return file;
        }
        final Mark mark = at.getStartMark().get();
        return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }
}
