package jp.senbetsu.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.store.StoreInitializer;
import jp.senbetsu.store.StoreLayout;
import jp.senbetsu.store.StoreSettings;
import jp.senbetsu.store.access.AccessPolicy;
import jp.senbetsu.store.access.Role;
import jp.senbetsu.store.audit.ApplianceKey;
import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.keys.KeystoreCredential;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.PassphraseKeyFile;
import jp.senbetsu.store.partition.PartitionCycle;
import org.agrona.concurrent.UnsafeBuffer;

/** A throwaway store (passphrase key store) and a block of varied selected records for the store benchmarks. */
final class BenchStore
{
    static final String PASSPHRASE = "benchmark passphrase";
    static final int RECORDS = 4096;

    private BenchStore()
    {
    }

    /**
     * Creates a store under {@code -Dsenbetsu.bench.dir} (default: the temp directory). Point it at a tmpfs
     * ({@code /dev/shm}) to measure sealing rather than the disk's write bandwidth.
     */
    static Path create() throws IOException
    {
        final Path base = Path.of(System.getProperty("senbetsu.bench.dir", System.getProperty("java.io.tmpdir")));
        final Path dir = Files.createTempDirectory(base, "senbetsu-bench-store-");
        final Map<Role, Set<String>> users = new EnumMap<>(Role.class);
        for (final Role role : Role.values())
        {
            users.put(role, Set.of(System.getProperty("user.name")));
        }
        StoreInitializer.init(dir.resolve("store"), PartitionCycle.HOURLY, StoreSettings.PASSPHRASE, null,
            new KeystoreCredential(PASSPHRASE.toCharArray(), "bench"), AccessPolicy.of(users), Duration.ofDays(730));
        return dir.resolve("store");
    }

    static MasterKeyStore unlock(final Path store)
    {
        return PassphraseKeyFile.open(StoreSettings.load(new StoreLayout(store).settings()).keystoreLocation(),
            PASSPHRASE.toCharArray());
    }

    static AuditLog audit(final Path store)
    {
        final StoreLayout layout = new StoreLayout(store);
        return AuditLog.open(layout.audit(), StoreSettings.load(layout.settings()).storeId(),
            ApplianceKey.load(layout.keys()), 64);
    }

    /** {@link #RECORDS} selected records, back to back. */
    static UnsafeBuffer records()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[RECORDS * SelectedFlowRecord.FIXED_LENGTH]);
        final SelectedFlowRecord record = new SelectedFlowRecord();
        final java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < RECORDS; i++)
        {
            record.wrap(buffer, i * SelectedFlowRecord.FIXED_LENGTH);
            final FlowRecord flow = record.flow();
            final long start = 1_795_737_600_000_000_000L + i * 1_000_000L;
            flow.startNs(start).endNs(start + random.nextInt(1_000_000_000)).ipVersion(4)
                .srcPort(random.nextInt(65536)).dstPort(i % 2 == 0 ? 443 : 53).protocol(i % 2 == 0 ? 6 : 17)
                .packets(random.nextInt(1000)).bytes(random.nextInt(1_000_000));
            buffer.putInt(flow.srcAddressOffset(), random.nextInt());
            buffer.putInt(flow.dstAddressOffset(), random.nextInt());
            record.category(1).matchedRuleCount(1).ruleSetId("rs-bench").approvalId("ACD-BENCH-" + (i % 4)).ruleId("rule-" + (i % 16));
        }
        return buffer;
    }

    static void delete(final Path store) throws IOException
    {
        try (Stream<Path> files = Files.walk(store.getParent()))
        {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}
