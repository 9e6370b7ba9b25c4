package jp.senbetsu.store.chain;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code verify} established: counts, the chain heads, and every finding. The store verifies when there are
 * no findings; notes (erased partitions, recovered torn batches, unsigned audit tail) are facts, not failures.
 */
public final class VerifyReport
{
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    long partitions;
    long erasedPartitions;
    long batches;
    long records;
    long bytes;
    long lastSequence;
    String headHash;
    long auditEntries;
    long auditLastSigned;
    String auditHeadHash;

    public boolean ok()
    {
        return findings.isEmpty();
    }

    public List<Finding> findings()
    {
        return findings;
    }

    public List<String> notes()
    {
        return notes;
    }

    void find(final String partition, final long sequence, final long index, final String reason)
    {
        findings.add(new Finding(partition, sequence, index, reason));
    }

    void note(final String note)
    {
        notes.add(note);
    }

    public long partitions()
    {
        return partitions;
    }

    public long erasedPartitions()
    {
        return erasedPartitions;
    }

    public long batches()
    {
        return batches;
    }

    public long records()
    {
        return records;
    }

    public long bytes()
    {
        return bytes;
    }

    public long lastSequence()
    {
        return lastSequence;
    }

    public String headHash()
    {
        return headHash;
    }

    public long auditEntries()
    {
        return auditEntries;
    }

    public long auditLastSigned()
    {
        return auditLastSigned;
    }

    public String auditHeadHash()
    {
        return auditHeadHash;
    }
}
