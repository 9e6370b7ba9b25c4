package jp.senbetsu.appliance.config;

import java.io.StringReader;
import java.time.Duration;
import java.util.Map;

import jp.senbetsu.capture.SenbetsuException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigNodeTest
{
    private static ConfigNode parse(final String yaml)
    {
        return ConfigFile.parse("test.yaml", new StringReader(yaml));
    }

    @Test
    void readsTypedValuesWithUnitsAndDefaults()
    {
        final ConfigNode root = parse("""
            flows:
              idle_timeout: 15s
              active_timeout: 30m
              max_flows: 1_000_000
            capture:
              buffer: 64MiB
              promiscuous: no
            """);
        final ConfigNode flows = root.section("flows");
        assertEquals(Duration.ofSeconds(15), flows.duration("idle_timeout", Duration.ZERO, Duration.ZERO, Duration.ofDays(1)));
        assertEquals(Duration.ofMinutes(30), flows.duration("active_timeout", Duration.ZERO, Duration.ZERO, Duration.ofDays(1)));
        assertEquals(1_000_000L, flows.integer("max_flows", 0, 1, Long.MAX_VALUE));
        assertEquals(7L, flows.integer("shards", 7, 1, 64), "absent key takes its default");
        final ConfigNode capture = root.section("capture");
        assertEquals(64L << 20, capture.bytes("buffer", 0, 0, Long.MAX_VALUE));
        assertFalse(capture.bool("promiscuous", true));
        root.rejectUnknownKeys();
    }

    @Test
    void aMisspeltKeyIsRefusedAtItsLineWithASuggestion()
    {
        final ConfigNode root = parse("""
            store:
              directory: /var/lib/senbetsu
              rol_cycle: daily
            """);
        final ConfigNode store = root.section("store");
        store.string("directory", "");
        store.string("roll_cycle", "daily");
        final ConfigException error = assertThrows(ConfigException.class, root::rejectUnknownKeys);
        assertEquals("test.yaml:3:3: store.rol_cycle: unknown key (did you mean 'roll_cycle'?)", error.getMessage());
        assertEquals(SenbetsuException.EXIT_USAGE, error.exitCode());
    }

    @Test
    void aWrongValueNamesKeyLineAndWhatWasExpected()
    {
        final ConfigNode store = parse("store:\n  roll_cycle: weekly\n").section("store");
        final ConfigException error = assertThrows(ConfigException.class,
            () -> store.choice("roll_cycle", "daily", Map.of("daily", "daily")));
        assertEquals("test.yaml:2:15: store.roll_cycle: expected one of daily; got 'weekly'", error.getMessage());

        final ConfigNode flows = parse("flows:\n  idle_timeout: soon\n").section("flows");
        assertEquals("test.yaml:2:17: flows.idle_timeout: expected a duration such as 15s, 30m, 2h or 7d; got 'soon'",
            assertThrows(ConfigException.class,
                () -> flows.duration("idle_timeout", Duration.ZERO, Duration.ZERO, Duration.ofDays(1))).getMessage());

        final ConfigNode ring = parse("ring:\n  size: 3\n").section("ring");
        assertEquals("test.yaml:2:9: ring.size: must be between 1024 and 16777216; got 3",
            assertThrows(ConfigException.class, () -> ring.integer("size", 65536, 1024, 1 << 24)).getMessage());
    }

    @Test
    void brokenYamlAndDuplicateKeysAreRefusedWithTheirPosition()
    {
        assertEquals("test.yaml:2:5: not valid YAML: mapping values are not allowed here",
            assertThrows(ConfigException.class, () -> parse("a: 1\nb: c: d\n")).getMessage());
        final ConfigException duplicate = assertThrows(ConfigException.class, () -> parse("a: 1\na: 2\n"));
        assertTrue(duplicate.getMessage().startsWith("test.yaml:2:1"), duplicate.getMessage());
    }

    @Test
    void aListOfSourcesIsReadEntryByEntry()
    {
        final ConfigNode root = parse("""
            capture:
              sources:
                - type: libpcap
                  device: ens1f0
                - type: libpcap
                  devise: ens1f1
            """);
        final var sources = root.section("capture").sections("sources");
        assertEquals(2, sources.size());
        assertEquals("ens1f0", sources.get(0).requiredString("device"));
        sources.get(0).string("type", "");
        sources.get(1).string("type", "");
        final ConfigException missing = assertThrows(ConfigException.class, () -> sources.get(1).requiredString("device"));
        assertEquals("test.yaml:5:7: capture.sources[1].device: is required", missing.getMessage());
    }
}
