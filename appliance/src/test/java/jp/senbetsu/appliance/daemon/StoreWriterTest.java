package jp.senbetsu.appliance.daemon;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import jp.senbetsu.appliance.cli.SenbetsuCommand;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.SealedStore;
import jp.senbetsu.store.StoreConfiguration;
import jp.senbetsu.store.StoreLayout;
import jp.senbetsu.store.StoreSettings;
import jp.senbetsu.store.audit.Actor;
import jp.senbetsu.store.audit.ApplianceKey;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.PassphraseKeyFile;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store writer seals what the selection stage queued, message by message. A message that is not a selected
 * record of its own length (a defect upstream) is refused and counted, never sealed, and neither the records
 * queued before it nor those after it are held back.
 */
class StoreWriterTest
{
    private static final String PASSPHRASE = "store writer test passphrase";

    @TempDir
    Path work;

    @Test
    void aMessageThatIsNotARecordOfItsLengthIsRefusedAndTheOthersAreSealed() throws Exception
    {
        final Path store = work.resolve("store");
        final Path credential = work.resolve("credential.txt");
        Files.writeString(credential, PASSPHRASE + "\n");
        final String user = System.getProperty("user.name");
        final CommandLine cli = SenbetsuCommand.commandLine();
        final StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cli.execute("store", "init", "--store", store.toString(), "--credential-file",
            credential.toString(), "--analyst", user, "--auditor", user), err.toString());

        final ManyToOneRingBuffer queue = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH)));
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        final SelectedFlowRecord record = new SelectedFlowRecord().wrap(bytes, 0);
        record.category(1).matchedRuleCount(2).ruleSetId("rs").approvalId("APP-1").ruleId("r1").furtherRuleId(0, "r2");
        record.flow().ipVersion(4).packets(1);
        final int length = record.length();
        assertTrue(queue.write(SelectionStage.SELECTED_RECORD, bytes, 0, length));
        // the same record in a message 8 bytes longer: its counts do not give the message's length
        assertTrue(queue.write(SelectionStage.SELECTED_RECORD, bytes, 0, length + 8));
        assertTrue(queue.write(SelectionStage.SELECTED_RECORD, bytes, 0, length));

        final StoreLayout layout = new StoreLayout(store);
        final StoreSettings settings = StoreSettings.load(layout.settings());
        try (MasterKeyStore master = PassphraseKeyFile.open(settings.keystoreLocation(), PASSPHRASE.toCharArray());
            AuditLog audit = AuditLog.open(layout.audit(), settings.storeId(), ApplianceKey.load(layout.keys()), 64);
            SealedStore sealed = SealedStore.open(new StoreConfiguration(store), master, audit,
                Actor.appliance("test")))
        {
            final StoreWriter writer = new StoreWriter(queue, sealed);
            writer.drainAndFlush();
            assertNull(writer.failure(), "one malformed message does not stop the writer");
            assertEquals(1, writer.rejected());
            assertTrue(writer.firstRejection().getMessage().equals("a selected record of " + length +
                " bytes in a message of " + (length + 8) + " bytes"), writer.firstRejection().getMessage());
            assertEquals(2, sealed.recordsAcknowledged());
        }
    }
}
