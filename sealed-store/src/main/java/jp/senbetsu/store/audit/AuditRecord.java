package jp.senbetsu.store.audit;

import java.util.Map;
import java.util.regex.Pattern;

import jp.senbetsu.store.StoreException;

/**
 * One audit entry as read back: its chain position, time, type, JSON body (parsed) and chain hashes.
 *
 * <p>The body is whatever the file holds: a tampered or hand-edited log can carry any JSON. Callers that act on
 * a field (a sequence, a chain hash) read it through {@link #integer(String)} or {@link #hash(String)}, which
 * refuse a missing or malformed value with a one-line {@link StoreException} naming this entry's sequence.
 *
 * @param index Chronicle index of the document, for locating it in files
 */
public record AuditRecord(long sequence, long timeMs, int type, String body, Map<String, Object> fields,
    byte[] previousHash, byte[] hash, byte[] signedBytes, long index)
{
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    public String event()
    {
        return String.valueOf(fields.get("event"));
    }

    /** A non-negative integer field; refuses a missing, fractional, negative or non-numeric value. */
    public long integer(final String field)
    {
        final Object value = fields.get(field);
        if (value instanceof Long l && l >= 0)
        {
            return l;
        }
        throw invalid(field, value, "a non-negative integer");
    }

    /** A SHA-256 hash field (64 hex digits), decoded; refuses anything else. */
    public byte[] hash(final String field)
    {
        final Object value = fields.get(field);
        if (value instanceof String s && SHA256_HEX.matcher(s).matches())
        {
            return java.util.HexFormat.of().parseHex(s);
        }
        throw invalid(field, value, "a SHA-256 hash (64 hex digits)");
    }

    private StoreException invalid(final String field, final Object value, final String expected)
    {
        final String found = value == null ? "missing" : "a " + kind(value);
        return new StoreException("audit entry " + sequence + " (" + event() + "): field '" + field + "' is " + found
            + ", not " + expected + " (audit log tampered or hand-edited; run 'senbetsu store verify')", null);
    }

    private static String kind(final Object value)
    {
        if (value instanceof String)
        {
            return "string";
        }
        if (value instanceof Number)
        {
            return "number out of range";
        }
        if (value instanceof Boolean)
        {
            return "boolean";
        }
        return value instanceof Map ? "object" : "list";
    }
}
