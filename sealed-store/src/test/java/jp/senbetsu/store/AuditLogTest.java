package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jp.senbetsu.store.audit.Actor;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.audit.AuditRecord;
import jp.senbetsu.store.chain.VerifyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log: entries are chained and read back without any data key, checkpoints are signed with the
 * appliance key and verify, and altering an entry or a signature is found.
 */
class AuditLogTest
{
    @TempDir
    Path dir;

    @Test
    void entriesAreChainedSignedAndReadableWithoutKeys()
    {
        TestStores.init(dir);
        try (AuditLog audit = TestStores.audit(dir))
        {
            for (int i = 0; i < 150; i++)
            {
                audit.append(AuditEvent.RULESET_ACTIVATE, new Actor("alice", "senbetsu", "operator", null),
                    Map.of("ruleSet", "rs-" + i, "signers", List.of("approver-1", "approver-2")));
            }
        }
        final List<AuditRecord> records = AuditLog.read(new StoreLayout(dir).audit());
        final long checkpoints = records.stream().filter(r -> r.type() == AuditLog.TYPE_CHECKPOINT).count();
        assertTrue(checkpoints >= 3, "a checkpoint every 64 entries and at close: " + checkpoints);
        assertEquals(AuditLog.TYPE_CHECKPOINT, records.get(records.size() - 1).type(), "closing signs the tail");
        final AuditRecord activation = records.stream().filter(r -> "rs-7".equals(r.fields().get("ruleSet")))
            .findFirst().orElseThrow();
        assertEquals("alice", activation.fields().get("user"));
        assertEquals(List.of("approver-1", "approver-2"), activation.fields().get("signers"));
        final VerifyReport report = TestStores.verify(dir);
        assertTrue(report.ok(), () -> report.findings().toString());
        assertEquals(records.size(), report.auditEntries());
        assertEquals(records.size(), report.auditLastSigned());
    }

    @Test
    void alteredEntryIsFound() throws IOException
    {
        TestStores.init(dir);
        try (AuditLog audit = TestStores.audit(dir))
        {
            audit.append(AuditEvent.QUERY, new Actor("carol", "senbetsu", "analyst", "pin"),
                Map.of("purpose", "incident 4711", "approval", "ACD-2026-0001"));
            audit.append(AuditEvent.VERIFY, new Actor("dave", "senbetsu", "auditor", null), Map.of());
        }
        replaceInAuditFiles("incident 4711", "incident 4712");
        final VerifyReport report = TestStores.verify(dir);
        assertFalse(report.ok());
        assertTrue(report.findings().stream().anyMatch(f -> "audit".equals(f.partition())
            && f.reason().contains("audit chain broken")), report.findings()::toString);
    }

    @Test
    void forgedCheckpointSignatureIsFound() throws IOException
    {
        TestStores.init(dir);
        final List<AuditRecord> records = AuditLog.read(new StoreLayout(dir).audit());
        final String signature = String.valueOf(records.get(records.size() - 1).fields().get("signature"));
        final char flipped = signature.charAt(10) == 'A' ? 'B' : 'A';
        replaceInAuditFiles(signature, signature.substring(0, 10) + flipped + signature.substring(11));
        final VerifyReport report = TestStores.verify(dir);
        assertTrue(report.findings().stream().anyMatch(f -> f.reason().contains("signature does not verify")),
            report.findings()::toString);
    }

    private void replaceInAuditFiles(final String from, final String to) throws IOException
    {
        boolean replaced = false;
        try (Stream<Path> files = Files.list(new StoreLayout(dir).audit()))
        {
            for (final Path file : files.filter(p -> p.toString().endsWith(".cq4")).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                final String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
                final int at = text.indexOf(from);
                if (at >= 0)
                {
                    final byte[] repl = to.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE))
                    {
                        ch.write(java.nio.ByteBuffer.wrap(repl), at);
                    }
                    replaced = true;
                }
            }
        }
        assertTrue(replaced, "test precondition: text found in the audit files");
    }
}
