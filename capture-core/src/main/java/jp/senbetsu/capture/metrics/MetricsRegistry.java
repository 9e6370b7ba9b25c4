package jp.senbetsu.capture.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import jp.senbetsu.capture.memory.DirectRegion;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one place every pipeline stage keeps its counters, so that the appliance exports them all the same way
 * and nothing else (no record, no packet) ever leaves through metrics. Values live in one pre-allocated direct
 * buffer, one cache line each; registration allocates, counting never does. Stages register at start-up; the
 * exporter calls {@link #renderPrometheus(StringBuilder)} from any thread.
 *
 * <p>A metric is a name plus label pairs (for example {@code senbetsu_drops_total{cause="ring.full"}});
 * registering the same name and labels twice returns the same counter.
 */
public final class MetricsRegistry
{
    /** Bytes per counter: a cache line, so no two writers share one. */
    public static final int COUNTER_STRIDE = 64;
    /** Counters a registry holds unless told otherwise. */
    public static final int DEFAULT_CAPACITY = 1024;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final UnsafeBuffer values;
    private final int capacity;
    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Map<String, Counter> byKey = new LinkedHashMap<>();
    private int count;

    public MetricsRegistry()
    {
        this(DEFAULT_CAPACITY);
    }

    public MetricsRegistry(final int capacity)
    {
        this.capacity = capacity;
        this.values = new DirectRegion((long)capacity * COUNTER_STRIDE).buffer();
    }

    /**
     * A counter (only grows).
     *
     * @param labels label name and value pairs, e.g. {@code "cause", "ring.full"}.
     */
    public synchronized Counter counter(final String name, final String help, final String... labels)
    {
        return register(name, help, MetricKind.COUNTER, labels);
    }

    /**
     * A gauge (any value, or a high-water mark).
     *
     * @param labels label name and value pairs.
     */
    public synchronized Counter gauge(final String name, final String help, final String... labels)
    {
        return register(name, help, MetricKind.GAUGE, labels);
    }

    /** The current value of a registered metric, or -1 if there is none; for tests and status output. */
    public synchronized long value(final String name, final String... labels)
    {
        final Counter c = byKey.get(key(name, labels));
        return c == null ? -1 : c.get();
    }

    /** Sum of a metric over all samples whose labels include the given pairs (all samples if none). */
    public synchronized long sum(final String name, final String... labels)
    {
        final Family f = families.get(name);
        long total = 0;
        if (f != null)
        {
            for (final Sample s : f.samples)
            {
                if (s.includes(labels))
                {
                    total += s.counter.get();
                }
            }
        }
        return total;
    }

    /**
     * Appends every metric in the Prometheus text exposition format, version 0.0.4 (serve it with
     * {@code Content-Type: text/plain; version=0.0.4}).
     */
    public synchronized StringBuilder renderPrometheus(final StringBuilder out)
    {
        for (final Family f : families.values())
        {
            out.append("# HELP ").append(f.name).append(' ');
            escapeHelp(f.help, out);
            out.append('\n');
            out.append("# TYPE ").append(f.name).append(' ').append(f.kind.exposition()).append('\n');
            for (final Sample s : f.samples)
            {
                out.append(f.name);
                if (s.labels.length > 0)
                {
                    out.append('{');
                    for (int i = 0; i < s.labels.length; i += 2)
                    {
                        out.append(i == 0 ? "" : ",").append(s.labels[i]).append("=\"");
                        escapeLabel(s.labels[i + 1], out);
                        out.append('"');
                    }
                    out.append('}');
                }
                out.append(' ').append(s.counter.get()).append('\n');
            }
        }
        return out;
    }

    private Counter register(final String name, final String help, final MetricKind kind, final String[] labels)
    {
        if (!NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("invalid metric name: " + name);
        }
        if ((labels.length & 1) != 0)
        {
            throw new IllegalArgumentException("labels of " + name + " must be name/value pairs");
        }
        for (int i = 0; i < labels.length; i += 2)
        {
            if (!LABEL.matcher(labels[i]).matches() || labels[i].startsWith("__"))
            {
                throw new IllegalArgumentException("invalid label name for " + name + ": " + labels[i]);
            }
            Objects.requireNonNull(labels[i + 1], labels[i]);
        }
        final String key = key(name, labels);
        final Counter existing = byKey.get(key);
        if (existing != null)
        {
            return existing;
        }
        Family family = families.get(name);
        if (family == null)
        {
            family = new Family(name, help, kind);
            families.put(name, family);
        }
        else if (family.kind != kind)
        {
            throw new IllegalArgumentException("metric " + name + " already registered as " + family.kind);
        }
        if (count == capacity)
        {
            throw new IllegalStateException("metrics registry full: " + capacity + " counters");
        }
        final Counter counter = new Counter(values, count * COUNTER_STRIDE);
        count++;
        family.samples.add(new Sample(labels.clone(), counter));
        byKey.put(key, counter);
        return counter;
    }

    private static String key(final String name, final String[] labels)
    {
        final StringBuilder key = new StringBuilder(name);
        for (final String part : labels)
        {
            key.append('\u0000').append(part);
        }
        return key.toString();
    }

    private static void escapeHelp(final String text, final StringBuilder out)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '\\')
            {
                out.append("\\\\");
            }
            else if (c == '\n')
            {
                out.append("\\n");
            }
            else
            {
                out.append(c);
            }
        }
    }

    private static void escapeLabel(final String text, final StringBuilder out)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"')
            {
                out.append("\\\"");
            }
            else
            {
                escapeHelp(String.valueOf(c), out);
            }
        }
    }

    private record Sample(String[] labels, Counter counter)
    {
        boolean includes(final String[] wanted)
        {
            outer:
            for (int w = 0; w < wanted.length; w += 2)
            {
                for (int i = 0; i < labels.length; i += 2)
                {
                    if (labels[i].equals(wanted[w]) && labels[i + 1].equals(wanted[w + 1]))
                    {
                        continue outer;
                    }
                }
                return false;
            }
            return true;
        }
    }

    private static final class Family
    {
        final String name;
        final String help;
        final MetricKind kind;
        final List<Sample> samples = new ArrayList<>();

        Family(final String name, final String help, final MetricKind kind)
        {
            this.name = name;
            this.help = help;
            this.kind = kind;
        }
    }
}
