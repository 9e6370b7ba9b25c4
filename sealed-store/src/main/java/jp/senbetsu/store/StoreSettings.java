package jp.senbetsu.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.store.keys.SecureFiles;
import jp.senbetsu.store.partition.PartitionCycle;

/**
 * Settings fixed when a store is initialised and kept in {@code store.properties}: the store ID (which seeds both
 * hash chains), the partition cycle, which key store holds the master key, and retention per approval.
 *
 * @param keystore          {@code passphrase} or {@code pkcs11}
 * @param keystoreLocation  the key file (passphrase) or the SunPKCS11 configuration file (pkcs11)
 * @param defaultRetention  retention of approvals that name none (default 730 days, i.e. two years)
 * @param approvalRetention retention per approval ID, from the approved rule sets
 */
public record StoreSettings(String storeId, PartitionCycle cycle, String keystore, Path keystoreLocation,
    Duration defaultRetention, Map<String, Duration> approvalRetention)
{
    public static final String FORMAT = "senbetsu-store-1";
    public static final String PASSPHRASE = "passphrase";
    public static final String PKCS11 = "pkcs11";
    /** Two years, the default retention when an approval names none. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(730);

    /** Retention of records selected under an approval. */
    public Duration retentionOf(final String approvalId)
    {
        return approvalRetention.getOrDefault(approvalId, defaultRetention);
    }

    public StoreSettings withRetention(final String approvalId, final Duration retention)
    {
        final Map<String, Duration> map = new TreeMap<>(approvalRetention);
        map.put(approvalId, retention);
        return new StoreSettings(storeId, cycle, keystore, keystoreLocation, defaultRetention, map);
    }

    public void save(final Path file)
    {
        final Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("store.id", storeId);
        p.setProperty("partition.cycle", cycle.name().toLowerCase(Locale.ROOT));
        p.setProperty("keystore", keystore);
        p.setProperty("keystore.location", keystoreLocation.toString());
        p.setProperty("retention.default", defaultRetention.toString());
        approvalRetention.forEach((id, d) -> p.setProperty("retention.approval." + id, d.toString()));
        SecureFiles.writeAtomically(file, out -> p.store(out, "senbetsu sealed store; see docs/store-format.md"));
    }

    public static StoreSettings load(final Path file)
    {
        if (!Files.isRegularFile(file))
        {
            throw new StoreException("no store at " + file.getParent() + " (" + file.getFileName()
                + " missing; run 'senbetsu store init')", SenbetsuException.EXIT_USAGE);
        }
        final Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            p.load(in);
        }
        catch (final IOException ex)
        {
            throw new StoreException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        if (!FORMAT.equals(p.getProperty("format")))
        {
            throw new StoreException(file + ": unknown store format " + p.getProperty("format"),
                SenbetsuException.EXIT_USAGE);
        }
        try
        {
            final Map<String, Duration> retention = new TreeMap<>();
            for (final String key : p.stringPropertyNames())
            {
                if (key.startsWith("retention.approval."))
                {
                    retention.put(key.substring("retention.approval.".length()), Duration.parse(p.getProperty(key)));
                }
            }
            return new StoreSettings(
                require(p, "store.id", file),
                PartitionCycle.valueOf(require(p, "partition.cycle", file).toUpperCase(Locale.ROOT)),
                require(p, "keystore", file),
                Path.of(require(p, "keystore.location", file)),
                Duration.parse(p.getProperty("retention.default", DEFAULT_RETENTION.toString())),
                retention);
        }
        catch (final IllegalArgumentException | java.time.format.DateTimeParseException ex)
        {
            throw new StoreException(file + ": invalid setting: " + ex.getMessage(), SenbetsuException.EXIT_USAGE);
        }
    }

    private static String require(final Properties p, final String key, final Path file)
    {
        final String value = p.getProperty(key);
        if (value == null || value.isBlank())
        {
            throw new StoreException(file + ": missing setting '" + key + "'", SenbetsuException.EXIT_USAGE);
        }
        return value.trim();
    }
}
