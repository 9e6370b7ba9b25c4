package jp.senbetsu.appliance.cli.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jp.senbetsu.appliance.cli.SenbetsuCommand;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.SealedStore;
import jp.senbetsu.store.StoreConfiguration;
import jp.senbetsu.store.StoreLayout;
import jp.senbetsu.store.StoreSettings;
import jp.senbetsu.store.access.AccessPolicy;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.Actor;
import jp.senbetsu.store.audit.ApplianceKey;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.json.JsonParser;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.PassphraseKeyFile;
import jp.senbetsu.store.query.ExportFile;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code senbetsu store} commands end to end, in process: init, verify, query with each filter, export plain
 * and encrypted, audit, keys list/rotate, erase-expired, and the refusals (missing purpose, wrong passphrase,
 * missing role, tampered store) with their exit codes, audit entries and absence of output.
 */
class StoreCommandsTest
{
    private static final String PASSPHRASE = "lab passphrase for tests";
    /** 2026-01-01T00:00Z: old enough that one-day retention has passed. */
    private static final long START_MS = 1_767_225_600_000L;
    private static final int PER_HOUR = 300;

    @TempDir
    Path work;
    private Path store;
    private Path credential;
    private final String user = System.getProperty("user.name");

    private record Run(int exit, String out, String err)
    {
    }

    @BeforeEach
    void initAndFill() throws IOException
    {
        store = work.resolve("store");
        credential = work.resolve("credential.txt");
        Files.writeString(credential, PASSPHRASE + "\n");
        final Run init = run("store", "init", "--store", store.toString(), "--credential-file", credential.toString(),
            "--analyst", user, "--auditor", user);
        assertEquals(0, init.exit, init.err);
        assertTrue(init.out.contains("audit signing key fingerprint"), init.out);
        final StoreLayout layout = new StoreLayout(store);
        // what the appliance records when it activates a rule set naming these approvals
        StoreSettings.load(layout.settings()).withRetention("ACD-SHORT", Duration.ofDays(1))
            .withRetention("ACD-LONG", Duration.ofDays(730)).save(layout.settings());
        fill(layout);
    }

    @Test
    void helpForEverySubcommand()
    {
        for (final String[] cmd : List.of(new String[] {"store", "--help"}, new String[] {"store", "init", "--help"},
            new String[] {"store", "verify", "--help"}, new String[] {"store", "query", "--help"},
            new String[] {"store", "export", "--help"}, new String[] {"store", "audit", "--help"},
            new String[] {"store", "erase-expired", "--help"}, new String[] {"store", "keys", "--help"},
            new String[] {"store", "keys", "list", "--help"}, new String[] {"store", "keys", "rotate", "--help"},
            new String[] {"store", "open-export", "--help"}))
        {
            final Run r = run(cmd);
            assertEquals(0, r.exit, Arrays.toString(cmd));
            assertTrue(r.out.contains("Usage: senbetsu store"), r.out);
        }
    }

    @Test
    void verifyQueryExportAuditKeysAndErasure() throws IOException
    {
        final Run verify = run("store", "verify", "--store", store.toString());
        assertEquals(0, verify.exit, verify.out + verify.err);
        assertTrue(verify.out.contains("3 partitions (0 erased)") && verify.out.contains(3 * PER_HOUR + " records"),
            verify.out);

        final List<Map<String, Object>> dns = query("ACD-SHORT", "--address", "198.51.100.0/24", "--port", "53");
        assertEquals(2 * PER_HOUR / 2, dns.size());
        assertTrue(dns.stream().allMatch(r -> r.get("dstPort").equals(53L) && r.get("dst").equals("198.51.100.7")));
        final List<Map<String, Object>> one = query("ACD-SHORT", "--address", "192.0.2.5");
        assertEquals(List.of(5L, 205L, 405L), one.stream().map(r -> (Long)r.get("srcPort") - 40000).toList());
        assertEquals(List.of(605L, 805L), query("ACD-LONG", "--address", "192.0.2.5").stream()
            .map(r -> (Long)r.get("srcPort") - 40000).toList());
        final Instant from = Instant.ofEpochMilli(START_MS + 3_600_000L);
        final List<Map<String, Object>> hour2 = query("ACD-SHORT", "--from", from.toString(), "--to",
            from.plusSeconds(PER_HOUR - 1).toString());
        assertEquals(PER_HOUR, hour2.size());
        assertEquals(2 * PER_HOUR, query("ACD-SHORT", "--approval", "ACD-SHORT").size());
        assertEquals(PER_HOUR, query("ACD-LONG", "--rule", "rule-long").size());
        assertEquals(0, query("ACD-LONG", "--rule", "rule-short").size(), "rule-short selected under ACD-SHORT only");

        final Path plain = work.resolve("out.jsonl");
        assertEquals(0, run(withStore("store", "export", "--credential-file", credential.toString(),
            "--purpose", "handover", "--purpose-approval", "ACD-LONG", "--approval", "ACD-LONG", "-o",
            plain.toString())).exit);
        final Path recipient = work.resolve("recipient.txt");
        Files.writeString(recipient, "recipient secret\n");
        final Path sealed = work.resolve("out.sbx");
        final Run export = run(withStore("store", "export", "--credential-file", credential.toString(),
            "--purpose", "handover", "--purpose-approval", "ACD-LONG", "--approval", "ACD-LONG", "-o",
            sealed.toString(), "--recipient-passphrase-file", recipient.toString()));
        assertTrue(export.out.contains("exported " + PER_HOUR + " records"), export.out + export.err);
        assertEquals(Files.readString(plain), new String(ExportFile.decrypt(Files.newInputStream(sealed),
            "recipient secret".toCharArray()), StandardCharsets.UTF_8));
        final Run opened = run("store", "open-export", sealed.toString(), "--recipient-passphrase-file",
            recipient.toString());
        assertEquals(0, opened.exit, opened.err);
        assertEquals(Files.readString(plain), opened.out);
        final Path wrongRecipient = work.resolve("wrong-recipient.txt");
        Files.writeString(wrongRecipient, "not the recipient secret\n");
        final Run refused = run("store", "open-export", sealed.toString(), "--recipient-passphrase-file",
            wrongRecipient.toString());
        assertEquals(1, refused.exit);
        assertEquals("", refused.out);
        assertTrue(refused.err.contains("does not authenticate"), refused.err);
        assertEquals(PER_HOUR, Files.readAllLines(plain).size());

        final Path ipfix = work.resolve("out.ipfix");
        final Run ipfixExport = run(withStore("store", "export", "--credential-file", credential.toString(),
            "--purpose", "handover", "--purpose-approval", "ACD-LONG", "--port", "53", "--format", "ipfix", "-o",
            ipfix.toString(), "--recipient-passphrase-file", recipient.toString()));
        assertTrue(ipfixExport.out.contains("exported " + PER_HOUR / 2 + " records") && ipfixExport.out
            .contains("IPFIX, encrypted"), ipfixExport.out + ipfixExport.err);
        final Path opened2 = work.resolve("opened.ipfix");
        assertEquals(0, run("store", "open-export", ipfix.toString(), "--recipient-passphrase-file",
            recipient.toString(), "-o", opened2.toString()).exit);
        assertIpfixMessages(Files.readAllBytes(opened2));
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
            Files.getPosixFilePermissions(opened2), "decrypted records are readable by their owner only");

        final Run keys = run(withStore("store", "keys", "list"));
        assertEquals(3, keys.out.lines().count(), keys.out);
        final Run rotate = run(withStore("store", "keys", "rotate", "--credential-file", credential.toString()));
        assertEquals(0, rotate.exit, rotate.err);
        assertTrue(rotate.out.contains("now m2"), rotate.out);
        assertTrue(run(withStore("store", "keys", "list")).out.contains("\"masterKey\":\"m2\""));
        assertEquals(2 * PER_HOUR, query("ACD-SHORT").size(), "records readable after rotation");
        assertEquals(PER_HOUR, query("ACD-LONG").size(), "records readable after rotation");

        final Run erase = run(withStore("store", "erase-expired", "--credential-file", credential.toString()));
        assertEquals(0, erase.exit, erase.err);
        assertTrue(erase.out.contains("2 partition(s) erased"), erase.out);
        final Run after = run("store", "verify", "--store", store.toString());
        assertEquals(0, after.exit, after.out + after.err);
        assertTrue(after.out.contains("(2 erased)") && after.out.contains(PER_HOUR + " records"), after.out);
        assertEquals(PER_HOUR, query("ACD-LONG").size());
        assertEquals(0, query("ACD-SHORT").size(), "the one-day approval's partitions are erased");

        final Run audit = run(withStore("store", "audit"));
        assertEquals(0, audit.exit);
        final List<Map<String, Object>> entries = audit.out.lines().map(JsonParser::parseObject).toList();
        assertTrue(entries.stream().anyMatch(e -> "store.query".equals(e.get("event"))
            && "incident 7".equals(e.get("purpose")) && user.equals(e.get("user")) && "analyst".equals(e.get("role"))
            && String.valueOf(e.get("credential")).contains("passphrase key file")));
        assertTrue(entries.stream().anyMatch(e -> "store.export".equals(e.get("event"))
            && String.valueOf(e.get("form")).contains("encrypted")));
        assertEquals(2, entries.stream().filter(e -> "store.erasure".equals(e.get("event"))).count());
        assertTrue(entries.stream().anyMatch(e -> "key.rotate".equals(e.get("event"))));
        assertTrue(entries.stream().anyMatch(e -> "store.verify".equals(e.get("event"))));
        assertTrue(entries.stream().anyMatch(e -> "checkpoint".equals(e.get("type")) && e.get("signature") != null));
    }

    @Test
    void refusalsAreClearAuditedAndPrintNothing() throws IOException
    {
        final Run noPurpose = run(withStore("store", "query", "--credential-file", credential.toString()));
        assertEquals(2, noPurpose.exit);
        assertTrue(noPurpose.err.contains("--purpose"), noPurpose.err);

        final Path wrong = work.resolve("wrong.txt");
        Files.writeString(wrong, "not it\n");
        final Run badPassphrase = run(withStore("store", "query", "--credential-file", wrong.toString(),
            "--purpose", "p", "--purpose-approval", "ACD-SHORT"));
        assertEquals(1, badPassphrase.exit);
        assertTrue(badPassphrase.err.contains("wrong passphrase"), badPassphrase.err);
        assertEquals("", badPassphrase.out);

        final Map<Role, Set<String>> noAnalyst = new EnumMap<>(Role.class);
        noAnalyst.put(Role.OPERATOR, Set.of(user));
        noAnalyst.put(Role.AUDITOR, Set.of(user));
        AccessPolicy.of(noAnalyst).save(new StoreLayout(store).access());
        final Run denied = run(withStore("store", "query", "--credential-file", credential.toString(),
            "--purpose", "p", "--purpose-approval", "ACD-SHORT"));
        assertEquals(1, denied.exit);
        assertTrue(denied.err.contains("access denied") && denied.err.contains("analyst"), denied.err);
        assertEquals("", denied.out);

        final long deniedEntries = AuditLog.read(new StoreLayout(store).audit()).stream()
            .filter(r -> "access.denied".equals(r.event())).count();
        assertEquals(2, deniedEntries, "wrong passphrase and missing role are both audited");

        // an auditor finds tampering; an analyst's query then refuses to print anything
        tamperOneCiphertextByte();
        final Run verify = run("store", "verify", "--store", store.toString());
        assertEquals(1, verify.exit);
        assertTrue(verify.out.contains("FINDING partition 20260101T00Z batch"), verify.out);
        assertTrue(verify.err.contains("verification failed"), verify.err);
        final Map<Role, Set<String>> all = new EnumMap<>(Role.class);
        for (final Role role : Role.values())
        {
            all.put(role, Set.of(user));
        }
        AccessPolicy.of(all).save(new StoreLayout(store).access());
        final Run tampered = run(withStore("store", "query", "--credential-file", credential.toString(),
            "--purpose", "p", "--purpose-approval", "ACD-SHORT"));
        assertEquals(1, tampered.exit);
        assertEquals("", tampered.out);
        assertTrue(tampered.err.contains("partition 20260101T00Z"), tampered.err);
    }

    @Test
    void thePurposeApprovalBoundsWhatIsRead() throws IOException
    {
        final List<Map<String, Object>> longOnly = query("ACD-LONG");
        assertEquals(PER_HOUR, longOnly.size(), "only the records of the approval the read is done under");
        assertTrue(longOnly.stream().allMatch(r -> "ACD-LONG".equals(r.get("approvalId"))));

        final Path file = work.resolve("scoped.jsonl");
        final Run export = run(withStore("store", "export", "--credential-file", credential.toString(),
            "--purpose", "handover", "--purpose-approval", "ACD-SHORT", "-o", file.toString()));
        assertEquals(0, export.exit, export.err);
        final List<String> lines = Files.readAllLines(file);
        assertEquals(2 * PER_HOUR, lines.size());
        assertTrue(lines.stream().allMatch(l -> "ACD-SHORT".equals(JsonParser.parseObject(l).get("approvalId"))));

        final Run other = run(withStore("store", "query", "--credential-file", credential.toString(), "--purpose",
            "p", "--purpose-approval", "ACD-LONG", "--approval", "ACD-SHORT"));
        assertEquals(2, other.exit, "a filter on another approval is a usage error");
        assertEquals("", other.out);
        assertTrue(other.err.contains("--approval ACD-SHORT is not the approval this read is done under"), other.err);

        final Run unknown = run(withStore("store", "query", "--credential-file", credential.toString(), "--purpose",
            "p", "--purpose-approval", "ACD-NEVER-ACTIVATED"));
        assertEquals(2, unknown.exit);
        assertEquals("", unknown.out);
        assertTrue(unknown.err.contains("approval ACD-NEVER-ACTIVATED is unknown to this store"), unknown.err);

        final Run empty = run(withStore("store", "query", "--credential-file", credential.toString(), "--purpose",
            "p", "--purpose-approval", " "));
        assertEquals(2, empty.exit);
        assertEquals("", empty.out);

        final List<Map<String, Object>> entries = run(withStore("store", "audit")).out.lines()
            .map(JsonParser::parseObject).toList();
        assertTrue(entries.stream().anyMatch(e -> "store.query".equals(e.get("event"))
            && "ACD-LONG".equals(e.get("approval")) && "incident 7".equals(e.get("purpose"))
            && Long.valueOf(PER_HOUR).equals(e.get("records"))), "the query is audited with purpose and approval");
        assertTrue(entries.stream().anyMatch(e -> "access.denied".equals(e.get("event"))
            && "ACD-NEVER-ACTIVATED".equals(e.get("approval"))), "a read under an unknown approval is audited");
    }

    /** The file is a sequence of whole IPFIX messages (version 10, lengths adding up to the file). */
    private static void assertIpfixMessages(final byte[] file)
    {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file);
        int messages = 0;
        while (b.hasRemaining())
        {
            final int start = b.position();
            assertEquals(10, b.getShort(start) & 0xFFFF, "IPFIX version at offset " + start);
            final int length = b.getShort(start + 2) & 0xFFFF;
            assertTrue(length > 16 && start + length <= file.length, "message length " + length);
            b.position(start + length);
            messages++;
        }
        assertTrue(messages >= 1);
    }

    private List<Map<String, Object>> query(final String approval, final String... filters)
    {
        final String[] base = withStore("store", "query", "--credential-file", credential.toString(), "--purpose",
            "incident 7", "--purpose-approval", approval);
        final String[] args = Arrays.copyOf(base, base.length + filters.length);
        System.arraycopy(filters, 0, args, base.length, filters.length);
        final Run r = run(args);
        assertEquals(0, r.exit, r.err);
        return r.out.lines().map(JsonParser::parseObject).toList();
    }

    private String[] withStore(final String... args)
    {
        final String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--store";
        all[args.length + 1] = store.toString();
        return all;
    }

    private Run run(final String... args)
    {
        final CommandLine cli = SenbetsuCommand.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        final int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Three hourly partitions: two under a one-day approval, one under the default two years. */
    private void fill(final StoreLayout layout)
    {
        final StoreSettings settings = StoreSettings.load(layout.settings());
        final CachedEpochClock clock = new CachedEpochClock();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        final SelectedFlowRecord record = new SelectedFlowRecord().wrap(buffer, 0);
        try (MasterKeyStore master = PassphraseKeyFile.open(settings.keystoreLocation(), PASSPHRASE.toCharArray());
            AuditLog audit = AuditLog.open(layout.audit(), settings.storeId(), ApplianceKey.load(layout.keys()), 64);
            SealedStore sealed = SealedStore.open(new StoreConfiguration(store).epochClock(clock), master, audit,
                Actor.appliance("test")))
        {
            for (int hour = 0; hour < 3; hour++)
            {
                clock.update(START_MS + hour * 3_600_000L + 1);
                for (int j = 0; j < PER_HOUR; j++)
                {
                    final int i = hour * PER_HOUR + j;
                    buffer.setMemory(0, SelectedFlowRecord.FIXED_LENGTH, (byte)0);
                    final long startNs = (START_MS + hour * 3_600_000L + j * 1000L) * 1_000_000L;
                    record.flow().startNs(startNs).endNs(startNs + 500_000_000L).ipVersion(4)
                        .srcPort(40000 + i).dstPort(i % 2 == 0 ? 443 : 53).protocol(i % 2 == 0 ? 6 : 17)
                        .packets(3).bytes(180);
                    buffer.putBytes(record.flow().srcAddressOffset(), new byte[] {(byte)192, 0, 2, (byte)(i % 200)});
                    buffer.putBytes(record.flow().dstAddressOffset(), new byte[] {(byte)198, 51, 100, 7});
                    record.category(1).matchedRuleCount(1).ruleSetId("rs-1").approvalId(hour < 2 ? "ACD-SHORT" : "ACD-LONG")
                        .ruleId(hour < 2 ? "rule-short" : "rule-long");
                    sealed.append(buffer, 0);
                }
                sealed.flush();
            }
        }
    }

    private void tamperOneCiphertextByte() throws IOException
    {
        final Path dir = new StoreLayout(store).partition("20260101T00Z");
        try (var files = Files.list(dir))
        {
            final Path cq4 = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
            final byte[] bytes = Files.readAllBytes(cq4);
            // the first batch header: magic "SBB1"; flip a byte well inside its ciphertext
            final int magic = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("SBB1");
            try (var channel = java.nio.channels.FileChannel.open(cq4, java.nio.file.StandardOpenOption.WRITE))
            {
                channel.write(java.nio.ByteBuffer.wrap(new byte[] {(byte)(bytes[magic + 400] ^ 1)}), magic + 400);
            }
        }
    }
}
