package jp.senbetsu.appliance.cli.rules;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import jp.senbetsu.appliance.cli.SenbetsuCommand;
import jp.senbetsu.selector.table.DomesticTableFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule-set commands end to end, in process: keys, signing, verification, lint, table build, test. */
class RulesCommandsTest
{
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(final String... args)
    {
        final CommandLine cli = SenbetsuCommand.commandLine();
        final StringWriter o = new StringWriter();
        final StringWriter e = new StringWriter();
        cli.setOut(new PrintWriter(o));
        cli.setErr(new PrintWriter(e));
        final int code = cli.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private static Path root()
    {
        return Path.of(System.getProperty("senbetsu.root"));
    }

    private Path table() throws Exception
    {
        final Path resources = root().resolve("selector/src/test/resources/table");
        final Path table = dir.resolve("test.sbdt");
        assertEquals(0, run("rules", "table", "build",
            "--delegated", resources.resolve("delegated-apnic-test.txt").toString(),
            resources.resolve("delegated-arin-test.txt").toString(),
            "--override", resources.resolve("overrides-test.txt").toString(),
            "-o", table.toString()), err);
        return table;
    }

    @Test
    void twoPeopleSignAndTheSetVerifiesOnlyWithBoth() throws Exception
    {
        final Path set = dir.resolve("set.yaml");
        Files.copy(root().resolve("config/examples/rules/example-rules.yaml"), set);
        assertEquals(0, run("rules", "keygen", "--name", "alice", "--role", "operator", "-o",
            dir.resolve("alice").toString()), err);
        assertTrue(out.startsWith("key "), out);
        assertEquals(0, run("rules", "keygen", "--name", "bob", "--role", "approver", "-o",
            dir.resolve("bob").toString()), err);
        assertEquals(2, run("rules", "keygen", "--name", "bob", "--role", "approver", "-o",
            dir.resolve("bob").toString()));
        assertTrue(err.contains("exists already"), err);

        assertEquals(0, run("rules", "check", "--at", "2026-06-01T00:00:00Z", set.toString()), out + err);
        assertTrue(out.contains("3 rules, 2 approvals, 0 errors"), out);

        assertEquals(0, run("rules", "sign", "--key", dir.resolve("alice.key").toString(), set.toString()), err);
        final String trusted = dir.resolve("alice.pub") + "," + dir.resolve("bob.pub");
        assertEquals(2, run("rules", "verify", "--trusted", trusted, "--at", "2026-06-01T00:00:00Z", set.toString()));
        assertTrue(err.contains("has 1 valid signature(s) from distinct trusted people (alice/operator), 2 required"),
            err);
        assertEquals(0, run("rules", "sign", "--key", dir.resolve("bob.key").toString(), set.toString()), err);
        assertEquals(0, run("rules", "verify", "--trusted", dir.toString(), "--at", "2026-06-01T00:00:00Z",
            set.toString()), err);
        assertTrue(out.startsWith("accepted: rule set 'rs-example-2026' version 1, 3 rules"), out);
        assertTrue(out.contains("signed by alice/operator") && out.contains("signed by bob/approver"), out);
        assertTrue(out.contains("approval ACD-2026-0002: retention P180D"), out);
        final String bound = "8e45a1ca7562554ce18e3dbb3cfd0e50baf51705e88a54b9f628dcabe3db264b";
        assertTrue(out.contains("bound to domestic table " + bound), out);

        // the set is signed for the sample table: verify --table accepts that one and refuses any other
        final Path sampleTable = dir.resolve("sample.sbdt");
        assertEquals(0, run("rules", "table", "build", "--delegated",
            root().resolve("samples/delegated-sample.txt").toString(), "-o", sampleTable.toString()), err);
        assertEquals(0, run("rules", "verify", "--trusted", dir.toString(), "--at", "2026-06-01T00:00:00Z",
            "--table", sampleTable.toString(), set.toString()), err);
        assertTrue(out.contains("bound to domestic table " + bound + " (" + sampleTable + " is that table)"), out);
        final Path otherTable = table();
        assertEquals(2, run("rules", "verify", "--trusted", dir.toString(), "--at", "2026-06-01T00:00:00Z",
            "--table", otherTable.toString(), set.toString()));
        assertTrue(err.contains("field 'table': rule set 'rs-example-2026' version 1 is signed for domestic table " +
            bound + " but the table given is " + DomesticTableFile.read(otherTable).versionHex()), err);
        assertTrue(!out.contains("accepted"), out);

        assertEquals(2, run("rules", "verify", "--trusted", trusted, "--at", "2027-06-01T00:00:00Z", set.toString()));
        assertTrue(err.contains("expired at"), err);
        Files.writeString(set, Files.readString(set).replace("8000-8099", "8000-8098"));
        assertEquals(2, run("rules", "verify", "--trusted", trusted, "--at", "2026-06-01T00:00:00Z", set.toString()));
        assertTrue(err.contains("does not verify"), err);
    }

    @Test
    void checkReportsErrorsWithExitCodeTwo() throws Exception
    {
        final Path set = dir.resolve("set.yaml");
        Files.writeString(set, Files.readString(root().resolve("config/examples/rules/example-rules.yaml"))
            .replace("categories: [foreign-foreign, foreign-domestic, domestic-foreign]",
                "categories: [foreign-domestic, domestic-foreign]"));
        assertEquals(2, run("rules", "check", "--at", "2026-06-01T00:00:00Z", set.toString()));
        assertTrue(out.contains("error: rule 'transit-telnet-scan' field 'categories': foreign-foreign not " +
            "authorised for the set"), out);
    }

    @Test
    void tableBuildReportsCountsAndVersion() throws Exception
    {
        table();
        assertTrue(out.contains("7 JP IPv4 and 4 JP IPv6 entries, 8 foreign IPv4 and 3 foreign IPv6 entries, 2 available/reserved skipped"), out);
        assertTrue(out.contains("6 prefixes; 33 special-purpose ranges kept unknown"), out);
        assertTrue(out.matches("(?s).*version [0-9a-f]{64} \\(records carry [0-9a-f]{16}\\).*"), out);
        assertEquals(2, run("rules", "table", "build", "--delegated", dir.resolve("missing.txt").toString(), "-o",
            dir.resolve("t").toString()));
        assertTrue(err.contains("missing.txt: cannot read"), err);
    }

    @Test
    void testCountsPerRuleAndCategoryFromACaptureAndPrintsNoRecord() throws Exception
    {
        final Path table = table();
        final Path set = dir.resolve("set.yaml");
        Files.writeString(set, """
            rule_set: rs-lab
            version: 1
            issuer: test
            valid_from: 2026-01-01T00:00:00Z
            valid_until: 2027-01-01T00:00:00Z
            categories: [foreign-foreign, foreign-domestic, domestic-foreign]
            table: %s
            approvals: [{id: APP-1}, {id: APP-2}]
            rules:
              - id: dns-inbound
                approval: APP-1
                categories: [foreign-domestic]
                match: {src: [8.8.8.0/24], dst_ports: [53], protocols: [udp]}
              - id: any-us
                approval: APP-2
                categories: [foreign-domestic, domestic-foreign, foreign-foreign]
                match: {foreign_countries: [US]}
            """.formatted(DomesticTableFile.read(table).versionHex()));
        final long t = 1_780_000_000L; // 2026-05-28, inside the windows
        final Path pcap = dir.resolve("lab.pcap");
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(pcapHeader());
        // 外内: 8.8.8.8 -> 133.0.0.1 UDP 53, three query/answer pairs on separate ports
        for (int i = 0; i < 3; i++)
        {
            bytes.writeBytes(udp(t + i, "8.8.8.8", "133.0.0.1", 40000 + i, 53));
            bytes.writeBytes(udp(t + i, "133.0.0.1", "8.8.8.8", 53, 40000 + i));
        }
        // 内外: 133.0.0.1 -> 12.0.0.1 (US) UDP 123
        bytes.writeBytes(udp(t + 5, "133.0.0.1", "12.0.0.1", 123, 123));
        // 外外: 1.0.1.1 (CN) -> 12.0.0.9 (US)
        bytes.writeBytes(udp(t + 6, "1.0.1.1", "12.0.0.9", 5000, 6000));
        // 内内 and unknown: dropped before the flow meter
        bytes.writeBytes(udp(t + 7, "133.0.0.1", "60.32.0.1", 1, 2));
        bytes.writeBytes(udp(t + 8, "10.0.0.1", "8.8.8.8", 1, 2));
        Files.write(pcap, bytes.toByteArray());

        assertEquals(0, run("rules", "test", "--rules", set.toString(), "--table", table.toString(),
            pcap.toString()), err);
        // packets are classified one by one, in their own direction: the three answers are 内外 packets
        assertTrue(out.matches("(?s).*foreign-domestic +外内 +3\\n.*"), out);
        assertTrue(out.matches("(?s).*domestic-foreign +内外 +4\\n.*"), out);
        assertTrue(out.matches("(?s).*domestic-domestic +内内 +1\\n.*"), out);
        assertTrue(out.matches("(?s).*unknown +不明 +1\\n.*"), out);
        assertTrue(out.matches("(?s).*foreign-domestic +外内 +3 / 0\\n.*"), out);
        assertTrue(out.matches("(?s).*domestic-foreign +内外 +1 / 0\\n.*"), out);
        assertTrue(out.matches("(?s).*foreign-foreign +外外 +1 / 0\\n.*"), out);
        assertTrue(out.matches("(?s).*dns-inbound +APP-1 +3 / 3\\n.*"), out);
        assertTrue(out.matches("(?s).*any-us +APP-2 +5 / 2\\n.*"), out);
        assertTrue(out.contains("total: 5 flows selected, 0 discarded"), out);
        // counts only: no address of any flow appears in the output
        assertTrue(!out.contains("8.8.8.8") && !out.contains("133.0.0.1") && !out.contains("10.0.0.1"), out);
    }

    private static byte[] pcapHeader()
    {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(0xA1B2C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(1)
            .array();
    }

    private static byte[] udp(final long seconds, final String src, final String dst, final int srcPort,
        final int dstPort)
    {
        final int frameLength = 14 + 20 + 8;
        final ByteBuffer b = ByteBuffer.allocate(16 + frameLength);
        b.order(ByteOrder.LITTLE_ENDIAN).putInt((int)seconds).putInt(0).putInt(frameLength).putInt(frameLength);
        b.order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6}).putShort((short)0x0800);
        b.put((byte)0x45).put((byte)0).putShort((short)28).putShort((short)1).putShort((short)0)
            .put((byte)64).put((byte)17).putShort((short)0).put(address(src)).put(address(dst));
        b.putShort((short)srcPort).putShort((short)dstPort).putShort((short)8).putShort((short)0);
        return b.array();
    }

    private static byte[] address(final String text)
    {
        final String[] parts = text.split("\\.");
        final byte[] out = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            out[i] = (byte)Integer.parseInt(parts[i]);
        }
        return out;
    }
}
