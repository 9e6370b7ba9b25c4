package jp.senbetsu.store.json;

import java.util.List;
import java.util.Map;

/**
 * Writes one JSON object into a reusable {@link StringBuilder}: the JSON Lines of query output, exports and the
 * audit log. Field order is the call order, so output is stable and diffable.
 */
public final class JsonWriter
{
    private final StringBuilder out;
    private boolean first = true;

    public JsonWriter(final StringBuilder out)
    {
        this.out = out;
    }

    public JsonWriter begin()
    {
        out.append('{');
        first = true;
        return this;
    }

    public JsonWriter end()
    {
        out.append('}');
        first = false;
        return this;
    }

    public JsonWriter field(final String name, final String value)
    {
        name(name);
        if (value == null)
        {
            out.append("null");
        }
        else
        {
            string(value);
        }
        return this;
    }

    public JsonWriter field(final String name, final long value)
    {
        name(name);
        out.append(value);
        return this;
    }

    public JsonWriter field(final String name, final boolean value)
    {
        name(name);
        out.append(value);
        return this;
    }

    /** Writes a value that may be a String, Number, Boolean, Map, List or null. */
    public JsonWriter field(final String name, final Object value)
    {
        name(name);
        value(value);
        return this;
    }

    /** Starts a nested object as a field value; close it with {@link #end()}. */
    public JsonWriter object(final String name)
    {
        name(name);
        out.append('{');
        first = true;
        return this;
    }

    private void value(final Object value)
    {
        if (value == null)
        {
            out.append("null");
        }
        else if (value instanceof String s)
        {
            string(s);
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            out.append(value);
        }
        else if (value instanceof Map<?, ?> map)
        {
            out.append('{');
            first = true;
            for (final Map.Entry<?, ?> e : map.entrySet())
            {
                field(String.valueOf(e.getKey()), e.getValue());
            }
            out.append('}');
            first = false;
        }
        else if (value instanceof List<?> list)
        {
            out.append('[');
            for (int i = 0; i < list.size(); i++)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                first = true;
                value(list.get(i));
            }
            out.append(']');
            first = false;
        }
        else
        {
            string(value.toString());
        }
    }

    private void name(final String name)
    {
        if (!first)
        {
            out.append(',');
        }
        first = false;
        string(name);
        out.append(':');
    }

    private void string(final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
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
