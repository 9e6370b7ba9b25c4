package jp.senbetsu.store.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the JSON this module writes (audit entry bodies): objects, arrays, strings, integers, booleans, null.
 * Integers become {@link Long}; a malformed body raises {@link IllegalArgumentException} with the offset.
 */
public final class JsonParser
{
    private final String s;
    private int pos;

    private JsonParser(final String s)
    {
        this.s = s;
    }

    /** Parses one JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(final String json)
    {
        final JsonParser parser = new JsonParser(json);
        final Object value = parser.value();
        parser.skipSpace();
        if (!(value instanceof Map) || parser.pos != json.length())
        {
            throw new IllegalArgumentException("not one JSON object (offset " + parser.pos + ")");
        }
        return (Map<String, Object>)value;
    }

    private Object value()
    {
        skipSpace();
        if (pos >= s.length())
        {
            throw error("unexpected end");
        }
        final char c = s.charAt(pos);
        return switch (c)
        {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}')
        {
            pos++;
            return map;
        }
        while (true)
        {
            skipSpace();
            final String key = string();
            skipSpace();
            expect(':');
            map.put(key, value());
            skipSpace();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private List<Object> array()
    {
        final List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']')
        {
            pos++;
            return list;
        }
        while (true)
        {
            list.add(value());
            skipSpace();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            if (pos >= s.length())
            {
                throw error("unterminated string");
            }
            final char c = s.charAt(pos++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c == '\\')
            {
                final char e = s.charAt(pos++);
                switch (e)
                {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' ->
                    {
                        sb.append((char)Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> sb.append(e);
                }
            }
            else
            {
                sb.append(c);
            }
        }
    }

    private Object number()
    {
        final int start = pos;
        while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0)
        {
            pos++;
        }
        if (start == pos)
        {
            throw error("unexpected character");
        }
        final String text = s.substring(start, pos);
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            return Double.parseDouble(text);
        }
    }

    private Object literal(final String word, final Object value)
    {
        if (!s.startsWith(word, pos))
        {
            throw error("unexpected literal");
        }
        pos += word.length();
        return value;
    }

    private char peek()
    {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpace()
    {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos)))
        {
            pos++;
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at offset " + pos);
    }
}
