package jp.senbetsu.appliance.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jp.senbetsu.appliance.config.ConfigFile;
import jp.senbetsu.appliance.config.ConfigNode;
import jp.senbetsu.capture.flow.FlowConfiguration;
import jp.senbetsu.capture.flow.FlowTable;
import jp.senbetsu.capture.record.MachineInfoRecord;
import jp.senbetsu.capture.ring.CaptureRingConfiguration;
import jp.senbetsu.capture.ring.WaitStrategyKind;
import jp.senbetsu.capture.source.LibpcapSourceConfiguration;
import jp.senbetsu.capture.source.MirrorEncapsulation;
import jp.senbetsu.capture.source.MirrorReceiverConfiguration;
import jp.senbetsu.selector.match.SelectionConfiguration;
import jp.senbetsu.selector.signature.TrustPolicy;
import jp.senbetsu.store.Durability;
import jp.senbetsu.store.StoreConfiguration;

/**
 * Everything the appliance reads from its one YAML file, validated before anything starts. Every key, its
 * default and its bounds are listed in docs/configuration.md; an unknown or misspelt key is refused with its line.
 *
 * @param sources            live capture sources ({@code capture.sources}); none is allowed for {@code ingest}.
 * @param ring               the capture ring ({@code ring.*}).
 * @param flows              the flow meter ({@code flows.*}).
 * @param selection          the domestic table, the signed rule set and who may sign it ({@code selection.*}).
 * @param store              the sealed store ({@code store.*}).
 * @param metrics            the Prometheus endpoint ({@code metrics.*}).
 * @param selectedQueueBytes capacity of the hand-off from the flow shards to the store writer
 *                           ({@code store.queue}, default 8 MiB ≈ 30 000 selected records).
 */
public record ApplianceConfiguration(
    List<SourceSpec> sources,
    CaptureRingConfiguration ring,
    FlowConfiguration flows,
    SelectionConfiguration selection,
    StoreSettings store,
    MetricsSettings metrics,
    int selectedQueueBytes)
{
    /**
     * @param directory       the store made by {@code senbetsu store init}.
     * @param credentialFile  file holding the key-store passphrase or PIN; null to use the environment variable.
     * @param batchRecords    records per sealed batch at most (default 256).
     * @param batchTimeout    longest a record waits in an open batch (default 5ms).
     * @param durability      {@code written} or {@code synced} (default synced).
     * @param eraseInterval   how often the running appliance erases expired partitions (default 1h; 0 = never,
     *                        leaving it to {@code senbetsu store erase-expired}).
     */
    public record StoreSettings(
        Path directory, Path credentialFile, int batchRecords, Duration batchTimeout, Durability durability,
        Duration eraseInterval)
    {
        /** The sealed store's own configuration for these settings. */
        public StoreConfiguration storeConfiguration()
        {
            return new StoreConfiguration(directory).batchRecords(batchRecords)
                .batchTimeoutNs(batchTimeout.toNanos()).durability(durability);
        }
    }

    /**
     * @param enabled  serve {@code /metrics} (default true).
     * @param bind     listen address (default 127.0.0.1: the management network, never the tap).
     * @param port     TCP port (default 9464).
     */
    public record MetricsSettings(boolean enabled, String bind, int port)
    {
    }

    public static final int DEFAULT_METRICS_PORT = 9464;
    /** Largest off-heap region one table or ring may use (a direct buffer is indexed by int), with room to align. */
    private static final long MAX_REGION_BYTES = Integer.MAX_VALUE - (1 << 21);
    public static final int DEFAULT_SELECTED_QUEUE_BYTES = 8 << 20;

    /** Reads and validates the file; a {@link jp.senbetsu.appliance.config.ConfigException} names any mistake. */
    public static ApplianceConfiguration load(final Path file)
    {
        final ConfigNode root = ConfigFile.read(file);
        final Path base = file.toAbsolutePath().getParent();
        final List<SourceSpec> sources = readSources(root.section("capture"));
        final CaptureRingConfiguration ring = readRing(root.section("ring"), sources.size());
        final FlowConfiguration flows = readFlows(root.section("flows"));
        final SelectionConfiguration selection = readSelection(root.section("selection"), base);
        final ConfigNode storeNode = root.section("store");
        final StoreSettings store = readStore(storeNode, base);
        // at least 1 MiB: an Agrona ring takes messages of up to an eighth of its size, and the longest selected
        // record (SelectedFlowRecord.MAX_LENGTH, ≈ 24 KiB) must always fit
        final int queueBytes = (int)storeNode.bytes("queue", DEFAULT_SELECTED_QUEUE_BYTES, 1 << 20, 1 << 30);
        if (Integer.bitCount(queueBytes) != 1)
        {
            throw storeNode.invalid("queue", "must be a power of two, such as 8MiB");
        }
        final ConfigNode metricsNode = root.section("metrics");
        final MetricsSettings metrics = new MetricsSettings(
            metricsNode.bool("enabled", true),
            metricsNode.string("bind", "127.0.0.1"),
            (int)metricsNode.integer("port", DEFAULT_METRICS_PORT, 0, 65535));
        root.rejectUnknownKeys();
        return new ApplianceConfiguration(sources, ring, flows, selection, store, metrics, queueBytes);
    }

    private static List<SourceSpec> readSources(final ConfigNode capture)
    {
        final List<SourceSpec> sources = new ArrayList<>();
        int index = 0;
        for (final ConfigNode source : capture.sections("sources"))
        {
            final String type = source.choice("type", null, Map.of("libpcap", "libpcap", "mirror", "mirror"));
            if (type == null)
            {
                throw source.invalid("type", "is required: libpcap or mirror");
            }
            final int interfaceIndex = (int)source.integer("interface_index", index, 0, 65535);
            if (type.equals("libpcap"))
            {
                sources.add(new SourceSpec.Libpcap(new LibpcapSourceConfiguration(
                    source.requiredString("device"),
                    interfaceIndex,
                    (int)source.integer("snaplen", LibpcapSourceConfiguration.DEFAULT_SNAPLEN,
                        LibpcapSourceConfiguration.MIN_SNAPLEN, 262_144),
                    (int)source.bytes("buffer", LibpcapSourceConfiguration.DEFAULT_BUFFER_BYTES, 1 << 20, Integer.MAX_VALUE),
                    source.bool("promiscuous", true),
                    source.string("filter", ""),
                    (int)source.integer("batch", LibpcapSourceConfiguration.DEFAULT_BATCH, 1, 65536))));
            }
            else
            {
                final Map<String, MirrorEncapsulation> kinds = new LinkedHashMap<>();
                kinds.put("vxlan", MirrorEncapsulation.VXLAN);
                kinds.put("geneve", MirrorEncapsulation.GENEVE);
                final MirrorEncapsulation encapsulation = source.choice("encapsulation", MirrorEncapsulation.VXLAN, kinds);
                sources.add(new SourceSpec.Mirror(new MirrorReceiverConfiguration(
                    source.string("bind", MirrorReceiverConfiguration.DEFAULT_BIND_ADDRESS),
                    (int)source.integer("port", encapsulation.defaultPort(), 1, 65535),
                    encapsulation,
                    interfaceIndex,
                    (int)source.bytes("receive_buffer", MirrorReceiverConfiguration.DEFAULT_RECEIVE_BUFFER, 1 << 16,
                        1 << 30))));
            }
            index++;
        }
        return sources;
    }

    private static CaptureRingConfiguration readRing(final ConfigNode node, final int liveSources)
    {
        final Map<String, WaitStrategyKind> strategies = new LinkedHashMap<>();
        for (final WaitStrategyKind kind : WaitStrategyKind.values())
        {
            strategies.put(kind.name().toLowerCase(java.util.Locale.ROOT), kind);
        }
        final int size = (int)node.integer("size", CaptureRingConfiguration.DEFAULT_RING_SIZE, 1024, 1 << 24);
        if (Integer.bitCount(size) != 1)
        {
            throw node.invalid("size", "must be a power of two");
        }
        final int headerBytes = (int)node.integer("header_bytes", CaptureRingConfiguration.DEFAULT_HEADER_BYTES, 64,
            1024);
        // every slot holds the copied header bytes (rounded to a cache line) and its record, in one direct region
        final long slotBytes = ((headerBytes + 63) & ~63) + MachineInfoRecord.LENGTH;
        if (size * slotBytes > MAX_REGION_BYTES)
        {
            throw node.invalid("size", size + " slots of " + slotBytes + " bytes exceed the 2 GiB a ring may use; "
                + "at most " + Long.highestOneBit(MAX_REGION_BYTES / slotBytes) + " with header_bytes " + headerBytes);
        }
        return new CaptureRingConfiguration()
            .ringSize(size)
            .headerBytes(headerBytes)
            .waitStrategy(node.choice("wait_strategy", CaptureRingConfiguration.DEFAULT_WAIT_STRATEGY, strategies))
            .flowShards((int)node.integer("flow_shards", 1, 1, 64))
            .sources(Math.max(1, liveSources));
    }

    private static FlowConfiguration readFlows(final ConfigNode node)
    {
        return new FlowConfiguration()
            .idleTimeoutNs(node.duration("idle_timeout", Duration.ofNanos(FlowConfiguration.DEFAULT_IDLE_TIMEOUT_NS),
                Duration.ZERO, Duration.ofDays(1)).toNanos())
            .activeTimeoutNs(node.duration("active_timeout",
                Duration.ofNanos(FlowConfiguration.DEFAULT_ACTIVE_TIMEOUT_NS), Duration.ZERO, Duration.ofDays(7)).toNanos())
            .maxFlows((int)node.integer("max_flows", FlowConfiguration.DEFAULT_MAX_FLOWS, 1024,
                MAX_REGION_BYTES / FlowTable.ENTRY_LENGTH))
            .vlanInKey(node.bool("vlan_key", false))
            .tunnelInKey(node.bool("tunnel_key", false));
    }

    private static SelectionConfiguration readSelection(final ConfigNode node, final Path base)
    {
        final Path table = existingFile(node, "table", base);
        final Path rules = existingFile(node, "rules", base);
        final List<Path> trusted = new ArrayList<>();
        for (final String key : node.strings("trusted_keys", List.of()))
        {
            final Path path = base.resolve(key);
            if (!Files.exists(path))
            {
                throw node.invalid("trusted_keys", "no such file or directory: " + path);
            }
            trusted.add(path);
        }
        if (trusted.isEmpty())
        {
            throw node.invalid("trusted_keys", "at least one approver public key is required");
        }
        return new SelectionConfiguration()
            .tableFile(table)
            .ruleSetFile(rules)
            .signatureFile(node.has("signatures") ? existingFile(node, "signatures", base) : null)
            .trustedKeys(trusted)
            .requiredSignatures((int)node.integer("required_signatures", TrustPolicy.DEFAULT_REQUIRED_SIGNATURES, 2,
                16))
            .clockSkew(node.duration("clock_skew", TrustPolicy.DEFAULT_CLOCK_SKEW, Duration.ZERO, Duration.ofHours(1)));
    }

    private static StoreSettings readStore(final ConfigNode node, final Path base)
    {
        final Path directory = base.resolve(node.requiredString("directory"));
        if (!Files.isDirectory(directory))
        {
            throw node.invalid("directory", "no store at " + directory + " (make one with: senbetsu store init)");
        }
        final Path credential = node.has("credential_file") ? existingFile(node, "credential_file", base) : null;
        return new StoreSettings(directory, credential,
            (int)node.integer("batch_records", StoreConfiguration.DEFAULT_BATCH_RECORDS, 1,
                StoreConfiguration.DEFAULT_BATCH_RECORDS),
            node.duration("batch_timeout", Duration.ofNanos(StoreConfiguration.DEFAULT_BATCH_TIMEOUT_NS),
                Duration.ofMillis(1), Duration.ofMinutes(1)),
            node.choice("durability", Durability.SYNCED,
                Map.of("synced", Durability.SYNCED, "written", Durability.WRITTEN)),
            node.duration("erase_interval", Duration.ofHours(1), Duration.ZERO, Duration.ofDays(7)));
    }

    private static Path existingFile(final ConfigNode node, final String key, final Path base)
    {
        final Path path = base.resolve(node.requiredString(key));
        if (!Files.isRegularFile(path))
        {
            throw node.invalid(key, "no such file: " + path);
        }
        return path;
    }
}
