package jp.senbetsu.store.audit;

import java.util.Map;

/**
 * One audit entry as read back: its chain position, time, type, JSON body (parsed) and chain hashes.
 *
 * @param index Chronicle index of the document, for locating it in files
 */
public record AuditRecord(long sequence, long timeMs, int type, String body, Map<String, Object> fields,
    byte[] previousHash, byte[] hash, byte[] signedBytes, long index)
{
    public String event()
    {
        return String.valueOf(fields.get("event"));
    }
}
