package jp.senbetsu.appliance.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jp.senbetsu.appliance.config.ConfigException;
import jp.senbetsu.capture.source.MirrorEncapsulation;
import jp.senbetsu.store.Durability;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplianceConfigurationTest
{
    private static final String VALID = """
        capture:
          sources:
            - type: libpcap
              device: tap0
              filter: "not arp"
            - type: mirror
              encapsulation: geneve
        flows:
          idle_timeout: 15s
        selection:
          table: domestic.table
          rules: rules.yaml
          trusted_keys: [trusted]
        store:
          directory: store
          durability: written
        metrics:
          port: 0
        """;

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException
    {
        Files.writeString(dir.resolve("domestic.table"), "x");
        Files.writeString(dir.resolve("rules.yaml"), "x");
        Files.createDirectories(dir.resolve("trusted"));
        Files.createDirectories(dir.resolve("store"));
    }

    @Test
    void readsEverySectionWithDefaultsAndRelativePaths() throws IOException
    {
        final ApplianceConfiguration c = load(VALID);
        assertEquals(2, c.sources().size());
        final SourceSpec.Libpcap tap = assertInstanceOf(SourceSpec.Libpcap.class, c.sources().get(0));
        assertEquals("tap0", tap.configuration().device());
        assertEquals(128, tap.configuration().snaplen(), "headers-only default");
        assertEquals("not arp", tap.configuration().filter());
        final SourceSpec.Mirror mirror = assertInstanceOf(SourceSpec.Mirror.class, c.sources().get(1));
        assertEquals(MirrorEncapsulation.GENEVE, mirror.configuration().encapsulation());
        assertEquals(6081, mirror.configuration().port());
        assertEquals(1, mirror.configuration().interfaceIndex());
        assertEquals(2, c.ring().sources());
        assertEquals(Duration.ofSeconds(15).toNanos(), c.flows().idleTimeoutNs());
        assertEquals(dir.resolve("rules.yaml.sig"), c.selection().signatureFile());
        assertEquals(2, c.selection().requiredSignatures());
        assertEquals(Durability.WRITTEN, c.store().durability());
        assertEquals(dir.resolve("store"), c.store().directory());
        assertEquals("127.0.0.1", c.metrics().bind());
    }

    @Test
    void mistakesAreNamedWithFileLineAndKey() throws IOException
    {
        assertEquals(dir.resolve("senbetsu.yaml") + ":14:3: selection.trusted_key: unknown key "
                + "(did you mean 'trusted_keys'?)",
            assertThrows(ConfigException.class, () -> load(VALID.replace("trusted_keys: [trusted]",
                "trusted_keys: [trusted]\n  trusted_key: [x]"))).getMessage());
        assertEquals(dir.resolve("senbetsu.yaml") + ":16:15: store.durability: expected one of synced, written; "
                + "got 'eventually'",
            assertThrows(ConfigException.class, () -> load(VALID.replace("written", "eventually"))).getMessage()
                .replace("written, synced", "synced, written"));
        final ConfigException missingStore = assertThrows(ConfigException.class,
            () -> load(VALID.replace("directory: store", "directory: nowhere")));
        assertTrue(missingStore.getMessage().contains("store.directory: no store at "), missingStore.getMessage());
        final ConfigException badRing = assertThrows(ConfigException.class, () -> load(VALID + "ring:\n  size: 3000\n"));
        assertTrue(badRing.getMessage().endsWith("ring.size: must be a power of two"), badRing.getMessage());
        final ConfigException hugeRing = assertThrows(ConfigException.class,
            () -> load(VALID + "ring:\n  size: 16777216\n  header_bytes: 1024\n"));
        assertTrue(hugeRing.getMessage().contains("ring.size: 16777216 slots of 1184 bytes exceed the 2 GiB"),
            hugeRing.getMessage());
        final ConfigException bigBatch = assertThrows(ConfigException.class,
            () -> load(VALID.replace("durability: written", "durability: written\n  batch_records: 1000")));
        assertTrue(bigBatch.getMessage().endsWith("store.batch_records: must be between 1 and 256; got 1000"),
            bigBatch.getMessage());
    }

    private ApplianceConfiguration load(final String yaml) throws IOException
    {
        final Path file = dir.resolve("senbetsu.yaml");
        Files.writeString(file, yaml);
        return ApplianceConfiguration.load(file);
    }
}
