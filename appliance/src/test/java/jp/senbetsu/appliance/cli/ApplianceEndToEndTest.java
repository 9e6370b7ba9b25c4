package jp.senbetsu.appliance.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jp.senbetsu.appliance.daemon.Appliance;
import jp.senbetsu.appliance.daemon.ApplianceConfiguration;
import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.capture.source.VethPair;
import jp.senbetsu.store.SealedStore;
import jp.senbetsu.store.StoreConfiguration;
import jp.senbetsu.store.StoreLayout;
import jp.senbetsu.store.StoreSettings;
import jp.senbetsu.store.audit.Actor;
import jp.senbetsu.store.audit.ApplianceKey;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.PassphraseKeyFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled sample through the whole appliance, checked against an oracle that shares none of its code: the
 * flows of {@code senbetsu flows} classified and matched by a naive evaluation of the sample rule set written here.
 * The store must hold exactly the flows the oracle selects, nothing domestic→domestic or unknown, no payload byte,
 * and refuse a rule set that lacks the second signature.
 */
class ApplianceEndToEndTest
{
    private static final Path ROOT = Path.of(System.getProperty("senbetsu.root"));
    private static final Path SAMPLE = ROOT.resolve("samples/border-sample.pcap");
    private static final String SSH_RULE = "inbound-ssh";
    private static final byte[] CANARY = "SENBETSU-PAYLOAD-CANARY".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path lab;

    private String user;

    @BeforeEach
    void makeLab() throws IOException
    {
        user = System.getenv("SUDO_USER") != null ? System.getenv("SUDO_USER") : System.getProperty("user.name");
        Files.createDirectories(lab.resolve("trusted"));
        ok("rules", "table", "build", "--delegated", ROOT.resolve("samples/delegated-sample.txt").toString(),
            "-o", lab.resolve("domestic.table").toString());
        ok("rules", "keygen", "--name", "test-operator", "--role", "operator", "-o", lab.resolve("operator").toString());
        ok("rules", "keygen", "--name", "test-approver", "--role", "approver", "-o", lab.resolve("approver").toString());
        // one rule more than the sample's, overlapping the first: a flow both match must name both in its record
        Files.writeString(lab.resolve("rules.yaml"), Files.readString(ROOT.resolve("samples/sample-rules.yaml"))
            + "\n  - id: " + SSH_RULE + "\n    approval: SAMPLE-2026-0001\n    categories: [foreign-domestic]\n"
            + "    match:\n      dst_ports: [22]\n      protocols: [tcp]\n");
        ok("rules", "sign", "--key", lab.resolve("operator.key").toString(), lab.resolve("rules.yaml").toString());
        Files.copy(lab.resolve("operator.pub"), lab.resolve("trusted/operator.pub"));
        Files.copy(lab.resolve("approver.pub"), lab.resolve("trusted/approver.pub"));
        Files.writeString(lab.resolve("keystore.pass"), "correct horse battery staple for tests\n");
        ok("store", "init", "--store", lab.resolve("store").toString(), "--credential-file",
            lab.resolve("keystore.pass").toString(), "--operator", user, "--analyst", user, "--auditor", user);
        Files.copy(ROOT.resolve("samples/senbetsu-sample.yaml"), lab.resolve("senbetsu.yaml"));
    }

    /** With several flow shards every shard selects on its own thread and all of them queue into one store. */
    @ParameterizedTest(name = "{0} flow shard(s)")
    @ValueSource(ints = {1, 3})
    void storesExactlyWhatTheRulesSelectAndNothingElse(final int flowShards) throws IOException
    {
        ok("rules", "sign", "--key", lab.resolve("approver.key").toString(), lab.resolve("rules.yaml").toString());
        Files.writeString(lab.resolve("senbetsu.yaml"), Files.readString(lab.resolve("senbetsu.yaml"))
            + "\nring:\n  flow_shards: " + flowShards + "\n");
        final String summary = ok("ingest", "-c", lab.resolve("senbetsu.yaml").toString(), SAMPLE.toString());

        final Set<String> expected = oracleSelection();
        assertFalse(expected.isEmpty(), "the sample must exercise selection");
        assertTrue(expected.stream().anyMatch(e -> e.contains(SSH_RULE)), "the sample must exercise a double match");
        assertEquals(expected.size(), number(summary, "records_acknowledged"), summary);

        final Set<String> stored = new HashSet<>();
        for (final String approval : List.of("SAMPLE-2026-0001", "SAMPLE-2026-0002"))
        {
            final String records = ok("store", "query", "--store", lab.resolve("store").toString(),
                "--credential-file", lab.resolve("keystore.pass").toString(), "--purpose", "end-to-end test",
                "--purpose-approval", approval, "--approval", approval);
            for (final String line : records.split("\n"))
            {
                if (!line.isBlank())
                {
                    final String key = field(line, "src") + " " + field(line, "dst") + " " + field(line, "srcPort")
                        + " " + field(line, "dstPort") + " " + field(line, "startNs");
                    final int category = Integer.parseInt(field(line, "category"));
                    assertTrue(category >= 1 && category <= 3, "category " + category + " stored: " + key);
                    stored.add(key + " " + field(line, "ruleId") + " " + matchedRules(line));
                    assertEquals(matchedRules(line).split(",").length, number(line, "matchedRuleCount"), line);
                }
            }
        }
        assertEquals(expected, stored);
        // the rule that never decides (it follows an overlapping rule) is found through the records that name it
        final String matched = ok("store", "query", "--store", lab.resolve("store").toString(),
            "--credential-file", lab.resolve("keystore.pass").toString(), "--purpose", "end-to-end test",
            "--purpose-approval", "SAMPLE-2026-0001", "--matched-rule", SSH_RULE);
        assertEquals(expected.stream().filter(e -> e.contains(SSH_RULE)).count(),
            matched.lines().filter(l -> !l.isBlank()).count(), matched);
        assertEquals("", ok("store", "query", "--store", lab.resolve("store").toString(),
            "--credential-file", lab.resolve("keystore.pass").toString(), "--purpose", "end-to-end test",
            "--purpose-approval", "SAMPLE-2026-0001", "--rule", SSH_RULE).strip(), "it decided none of them");

        assertTrue(ok("store", "verify", "--store", lab.resolve("store").toString()).contains("verified"));
        assertNoCanaryUnder(lab.resolve("store"));
        final String audit = ok("store", "audit", "--store", lab.resolve("store").toString());
        final List<String> ingested = audit.lines()
            .filter(l -> l.contains("\"event\":\"capture.ingest\"") && l.contains(SAMPLE.getFileName().toString()))
            .toList();
        assertEquals(2, ingested.size(), "an entry before and one after the file: " + audit);
        assertTrue(ingested.get(0).contains("\"outcome\":\"started\""), ingested.get(0));
        assertTrue(ingested.get(1).contains("\"packets\":5000") && ingested.get(1).contains("\"outcome\":\"ok\""),
            ingested.get(1));
    }

    @Test
    void ingestReadsFilesWhateverLiveSourcesTheConfigurationNamesAndAuditsADamagedFile() throws IOException
    {
        ok("rules", "sign", "--key", lab.resolve("approver.key").toString(), lab.resolve("rules.yaml").toString());
        // two taps configured (for `run`); ingest uses neither and must not be refused for them
        Files.writeString(lab.resolve("senbetsu.yaml"), Files.readString(lab.resolve("senbetsu.yaml"))
            + "\ncapture:\n  sources:\n    - type: libpcap\n      device: tap0\n"
            + "    - type: mirror\n      port: 4789\n");
        final Path damaged = lab.resolve("damaged.pcap");
        final byte[] sample = Files.readAllBytes(SAMPLE);
        Files.write(damaged, java.util.Arrays.copyOf(sample, sample.length / 2 + 7));
        final Run run = run("ingest", "-c", lab.resolve("senbetsu.yaml").toString(), SAMPLE.toString(),
            damaged.toString());
        assertEquals(SenbetsuException.EXIT_RUNTIME, run.exitCode, run.err);
        assertTrue(run.err.contains("damaged.pcap"), run.err);
        assertFalse(run.err.contains("\tat "), "no stack trace for a damaged file: " + run.err);
        final String audit = ok("store", "audit", "--store", lab.resolve("store").toString());
        assertTrue(audit.lines().anyMatch(l -> l.contains("\"event\":\"capture.ingest\"")
            && l.contains(SAMPLE.getFileName().toString()) && l.contains("\"packets\":5000")
            && l.contains("\"outcome\":\"ok\"")), audit);
        assertTrue(audit.lines().anyMatch(l -> l.contains("\"event\":\"capture.ingest\"")
            && l.contains("damaged.pcap") && !l.contains("\"packets\":0,") && l.contains("\"outcome\":\"error\"")),
            "the damaged file's packets before the damage are counted, and the error: " + audit);
        assertTrue(ok("store", "verify", "--store", lab.resolve("store").toString()).contains("verified"));
    }

    @Test
    void aRuleSetWithOneSignatureIsRefusedAndNothingIsWritten() throws IOException
    {
        final Run run = run("ingest", "-c", lab.resolve("senbetsu.yaml").toString(), SAMPLE.toString());
        assertEquals(SenbetsuException.EXIT_USAGE, run.exitCode, run.err);
        assertTrue(run.err.contains("signature"), run.err);
        assertFalse(run.err.contains("\tat "), "no stack trace for a refused rule set: " + run.err);
        final String verified = ok("store", "verify", "--store", lab.resolve("store").toString());
        assertTrue(verified.contains(" 0 records"), verified);
    }

    @Test
    void aReloadWithATamperedRuleSetKeepsThePreviousSetActive() throws IOException
    {
        ok("rules", "sign", "--key", lab.resolve("approver.key").toString(), lab.resolve("rules.yaml").toString());
        final ApplianceConfiguration configuration = ApplianceConfiguration.load(lab.resolve("senbetsu.yaml"));
        try (Appliance appliance = Appliance.start(configuration, lab.resolve("senbetsu.yaml"), "reload test", false))
        {
            final String widened = Files.readString(lab.resolve("rules.yaml")).replace("[3389, 445, 22]", "[1-65535]");
            Files.writeString(lab.resolve("rules.yaml"), widened);
            final SenbetsuException refused = appliance.reloadSelection();
            assertNotNull(refused, "a set whose signatures no longer match must be refused");
            appliance.ingest(List.of(SAMPLE));
            appliance.close();
            assertEquals(oracleSelection().size(), appliance.recordsAcknowledged(),
                "the previous (narrower) set kept deciding");
        }
        final String audit = ok("store", "audit", "--store", lab.resolve("store").toString());
        assertTrue(audit.contains("\"outcome\":\"refused\""), audit);
    }

    @Test
    void aLiveTapFeedIsSelectedLikeTheSameTrafficFromAFile() throws Exception
    {
        ok("rules", "sign", "--key", lab.resolve("approver.key").toString(), lab.resolve("rules.yaml").toString());
        try (VethPair veth = VethPair.create())
        {
            Files.writeString(lab.resolve("senbetsu.yaml"), Files.readString(lab.resolve("senbetsu.yaml"))
                .replace("metrics:\n  enabled: false", "metrics:\n  enabled: true\n  port: 0")
                + "\ncapture:\n  sources:\n    - type: libpcap\n      device: " + veth.captureEnd + "\n");
            final ApplianceConfiguration configuration = ApplianceConfiguration.load(lab.resolve("senbetsu.yaml"));
            final String metrics;
            try (Appliance appliance = Appliance.start(configuration, lab.resolve("senbetsu.yaml"), "live test", true))
            {
                appliance.startLive();
                veth.replay(SAMPLE.toString());
                final long deadline = System.nanoTime() + 20_000_000_000L;
                while (appliance.metrics().sum("senbetsu_source_packets_total") < 5000 && System.nanoTime() < deadline)
                {
                    Thread.sleep(20);
                }
                metrics = scrape(appliance.metricsPort());
                appliance.close();
                assertEquals(oracleSelection().size(), appliance.recordsAcknowledged());
            }
            assertTrue(metrics.contains("senbetsu_source_packets_total{source=\"0\"} 5000"), metrics);
            assertTrue(metrics.contains("senbetsu_drops_total{cause=\"ring.full\",source=\"0\"} 0"), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.matches("senbetsu_flow_table_memory_locked\\{shard=\"0\"} [01]")),
                "the flow table's lock state is exported: " + metrics);
            assertFalse(metrics.contains("SENBETSU-PAYLOAD"), "no payload in metrics");
        }
        assertTrue(ok("store", "verify", "--store", lab.resolve("store").toString()).contains("verified"));
        assertNoCanaryUnder(lab.resolve("store"));
    }

    private static String scrape(final int port) throws Exception
    {
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient())
        {
            return client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    @Test
    void aFailingStoreStopsTheApplianceWithAnErrorInsteadOfDroppingSelectionsQuietly() throws Exception
    {
        ok("rules", "sign", "--key", lab.resolve("approver.key").toString(), lab.resolve("rules.yaml").toString());
        final ApplianceConfiguration configuration = ApplianceConfiguration.load(lab.resolve("senbetsu.yaml"));
        final Appliance appliance = Appliance.start(configuration, lab.resolve("senbetsu.yaml"), "failure test", false);
        // the store cannot make its first partition: where the partitions directory should be, there is a file
        final Path partitions = lab.resolve("store").resolve("partitions");
        deleteTree(partitions);
        Files.writeString(partitions, "not a directory");
        appliance.ingest(List.of(SAMPLE));
        final SenbetsuException stopped = org.junit.jupiter.api.Assertions.assertThrows(SenbetsuException.class,
            appliance::close);
        assertTrue(stopped.getMessage().startsWith("the sealed store failed: "), stopped.getMessage());
        final Throwable fatal = appliance.awaitFatal();
        assertTrue(fatal.getMessage().startsWith("store-writer stopped: "), fatal.getMessage());
        assertEquals(1, appliance.metrics().value("senbetsu_agent_errors_total", "agent", "store-writer"));
        assertEquals(0, appliance.recordsAcknowledged());
        final String audit = ok("store", "audit", "--store", lab.resolve("store").toString());
        assertTrue(audit.contains("\"event\":\"appliance.stop\""), audit);
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (Files.exists(root))
        {
            try (Stream<Path> walk = Files.walk(root))
            {
                for (final Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
                {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void keyRotationAndManualErasureWaitForTheRunningApplianceToStop() throws IOException
    {
        ok("rules", "sign", "--key", lab.resolve("approver.key").toString(), lab.resolve("rules.yaml").toString());
        final ApplianceConfiguration configuration = ApplianceConfiguration.load(lab.resolve("senbetsu.yaml"));
        final String[] rotate = { "store", "keys", "rotate", "--store", lab.resolve("store").toString(),
            "--credential-file", lab.resolve("keystore.pass").toString() };
        final String[] erase = { "store", "erase-expired", "--store", lab.resolve("store").toString(),
            "--credential-file", lab.resolve("keystore.pass").toString() };
        try (Appliance appliance = Appliance.start(configuration, lab.resolve("senbetsu.yaml"), "lock test", false))
        {
            for (final String[] command : List.of(rotate, erase))
            {
                final Run refused = run(command);
                assertEquals(SenbetsuException.EXIT_RUNTIME, refused.exitCode, refused.err);
                assertTrue(refused.err.contains("has another writer"), refused.err);
            }
        }
        assertTrue(ok(rotate).contains("master key rotated"));
        assertTrue(ok(erase).contains("0 partition(s) erased"));
    }

    /** The naive oracle: flows from `senbetsu flows` with the config's timeouts, classified and matched here. */
    private Set<String> oracleSelection()
    {
        // the flows tool writes its JSON straight to a byte stream, not through picocli's writer
        final ByteArrayOutputStream json = new ByteArrayOutputStream();
        assertEquals(0, new CommandLine(new FlowsCommand().output(json))
            .execute("--idle-timeout", "15s", "--active-timeout", "30m", SAMPLE.toString()));
        final String flows = json.toString(StandardCharsets.UTF_8);
        final Set<String> selected = new HashSet<>();
        for (final String line : flows.split("\n"))
        {
            if (line.isBlank())
            {
                continue;
            }
            final String src = field(line, "src");
            final String dst = field(line, "dst");
            final int proto = Integer.parseInt(field(line, "proto"));
            final String dport = optional(line, "dport");
            final String srcSide = side(src);
            final String dstSide = side(dst);
            final String key = src + " " + dst + " " + optional(line, "sport") + " " + dport + " " + field(line, "start");
            if (srcSide.equals("foreign") && dstSide.equals("domestic") && proto == 6
                && Set.of("3389", "445", "22").contains(dport))
            {
                selected.add(key + " inbound-remote-admin " + ("22".equals(dport)
                    ? "[\"inbound-remote-admin\",\"" + SSH_RULE + "\"]" : "[\"inbound-remote-admin\"]"));
            }
            else if (srcSide.equals("domestic") && dstSide.equals("foreign") && "53".equals(dport)
                && (dst.startsWith("175.") || dst.startsWith("2001:220:")))
            {
                selected.add(key + " outbound-dns-kr [\"outbound-dns-kr\"]");
            }
        }
        return selected;
    }

    /** Where samples/delegated-sample.txt puts an address, decided from its text alone. */
    private static String side(final String address)
    {
        try
        {
            final byte[] a = InetAddress.getByName(address).getAddress();
            if (a.length == 4)
            {
                final int first = a[0] & 0xFF;
                final int second = a[1] & 0xFF;
                return first == 126 || first == 133 ? "domestic" :
                    (first == 59 || first == 175) && second >= 192 ? "foreign" : "unknown";
            }
            final boolean prefix2001 = (a[0] & 0xFF) == 0x20 && (a[1] & 0xFF) == 0x01 && (a[2] & 0xFF) == 0x02;
            final int third = a[3] & 0xFF;
            // /35: the top three bits of the fourth byte are zero
            return prefix2001 && third < 0x20 ? "domestic" : prefix2001 && third >= 0x20 && third < 0x40
                && (a[4] & 0xE0) == 0 ? "foreign" : "unknown";
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void assertNoCanaryUnder(final Path dir) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir))
        {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertFalse(files.isEmpty());
        for (final Path file : files)
        {
            final byte[] bytes = Files.readAllBytes(file);
            for (int i = 0; i + CANARY.length <= bytes.length; i++)
            {
                int j = 0;
                while (j < CANARY.length && bytes[i + j] == CANARY[j])
                {
                    j++;
                }
                assertFalse(j == CANARY.length, "payload canary found in " + file + " at " + i);
            }
        }
    }

    private static String field(final String json, final String key)
    {
        final Matcher m = Pattern.compile("\"" + key + "\":(\"([^\"]*)\"|(-?\\d+))").matcher(json);
        assertTrue(m.find(), key + " missing in " + json);
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    /** The record's list of every matching rule, as its JSON text. */
    private static String matchedRules(final String json)
    {
        final Matcher m = Pattern.compile("\"matchedRules\":(\\[[^\\]]*\\])").matcher(json);
        assertTrue(m.find(), "matchedRules missing in " + json);
        return m.group(1);
    }

    /** A key the flows tool prints as null when it has no value (ports of ICMP flows). */
    private static String optional(final String json, final String key)
    {
        return json.contains("\"" + key + "\":null") ? null : field(json, key);
    }

    private static long number(final String json, final String key)
    {
        return Long.parseLong(field(json, key));
    }

    @Test
    void ingestBesideAnotherWriterOfTheStoreIsRefused() throws IOException
    {
        ok("rules", "sign", "--key", lab.resolve("approver.key").toString(), lab.resolve("rules.yaml").toString());
        final Path store = lab.resolve("store");
        final StoreLayout layout = new StoreLayout(store);
        final StoreSettings settings = StoreSettings.load(layout.settings());
        // the running appliance's writer, held in this process
        try (MasterKeyStore master = PassphraseKeyFile.open(settings.keystoreLocation(),
            "correct horse battery staple for tests".toCharArray());
            AuditLog audit = AuditLog.open(layout.audit(), settings.storeId(), ApplianceKey.load(layout.keys()), 64);
            SealedStore daemon = SealedStore.open(new StoreConfiguration(store), master, audit,
                Actor.appliance("test daemon")))
        {
            final Run refused = run("ingest", "-c", lab.resolve("senbetsu.yaml").toString(), SAMPLE.toString());
            assertEquals(SenbetsuException.EXIT_RUNTIME, refused.exitCode, refused.out + refused.err);
            assertTrue(refused.err.contains("store " + store + " has another writer"), refused.err);
        }
        final String summary = ok("ingest", "-c", lab.resolve("senbetsu.yaml").toString(), SAMPLE.toString());
        assertTrue(number(summary, "records_acknowledged") > 0, "once the other writer closed, ingest writes");
        ok("store", "verify", "--store", store.toString());
    }

    private record Run(int exitCode, String out, String err)
    {
    }

    private static Run run(final String... args)
    {
        final CommandLine commandLine = SenbetsuCommand.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        final int rc = commandLine.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    private static String ok(final String... args)
    {
        final Run run = run(args);
        assertEquals(0, run.exitCode, String.join(" ", args) + " failed: " + run.err);
        return run.out;
    }
}
