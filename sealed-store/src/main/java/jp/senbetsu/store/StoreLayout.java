package jp.senbetsu.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jp.senbetsu.store.partition.PartitionCycle;

/**
 * Where a store keeps what, relative to its root directory:
 *
 * <pre>
 * store.properties           settings fixed at init (store ID, partition cycle, key store, retention)
 * access.properties          which OS users hold which role
 * partitions/&lt;name&gt;/        one Chronicle Queue per partition (name = UTC start, yyyyMMdd'T'HH'Z')
 * keys/data/&lt;name&gt;.key      the partition's data key, sealed under the master key
 * keys/nonce/                nonce reservations per key
 * keys/master.key            passphrase key store (labs), if used
 * keys/appliance.ed25519     audit checkpoint signing key (+ .pub)
 * audit/                     the audit log (Chronicle Queue)
 * writer.lock                held (OS file lock) by the one writer appending to the store
 * </pre>
 */
public record StoreLayout(Path root)
{
    public Path settings()
    {
        return root.resolve("store.properties");
    }

    public Path access()
    {
        return root.resolve("access.properties");
    }

    public Path partitions()
    {
        return root.resolve("partitions");
    }

    public Path partition(final String name)
    {
        return partitions().resolve(name);
    }

    public Path keys()
    {
        return root.resolve("keys");
    }

    public Path audit()
    {
        return root.resolve("audit");
    }

    /** The file whose exclusive lock makes one {@link SealedStore} the store's only writer. */
    public Path writerLock()
    {
        return root.resolve("writer.lock");
    }

    /** Partition names present on disk, in time order. */
    public List<String> partitionNames()
    {
        final List<String> names = new ArrayList<>();
        if (!Files.isDirectory(partitions()))
        {
            return names;
        }
        try (Stream<Path> dirs = Files.list(partitions()))
        {
            dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(PartitionCycle::isName)
                .sorted().forEach(names::add);
        }
        catch (final IOException ex)
        {
            throw new StoreException("cannot list " + partitions() + ": " + ex.getMessage(), ex);
        }
        return names;
    }
}
