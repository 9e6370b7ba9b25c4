package jp.senbetsu.capture.flow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Secret keys, drawn once per process, for the flow table's and the fragment table's hashes, read from the
 * kernel's random source ({@code /dev/urandom}, no JCE provider to load at start-up). Where that file cannot be
 * read, the keys come from the clock and the process ID: weaker, but still not known to anyone outside the machine.
 */
final class HashKeys
{
    private static final Path SOURCE = Path.of("/dev/urandom");
    private static final long[] KEYS = draw(4);

    /**
     * Four independent keys. The flow hash keys with them an address's high and low halves, a port and the rest of
     * the key; the fragment hash, which has no ports, keys the four halves of its two addresses.
     */
    static final long HIGH = KEYS[0];
    static final long LOW = KEYS[1];
    static final long PORT = KEYS[2];
    static final long COMMON = KEYS[3];

    private HashKeys()
    {
    }

    static long[] draw(final int count)
    {
        final long[] keys = new long[count];
        try (InputStream in = Files.newInputStream(SOURCE))
        {
            final ByteBuffer bytes = ByteBuffer.wrap(in.readNBytes(count * Long.BYTES));
            if (bytes.remaining() == count * Long.BYTES)
            {
                for (int i = 0; i < count; i++)
                {
                    keys[i] = bytes.getLong();
                }
                return keys;
            }
        }
        catch (final IOException | SecurityException ex)
        {
            // fall through to the clock below
        }
        long seed = System.nanoTime() ^ ProcessHandle.current().pid() << 32 ^ System.currentTimeMillis();
        for (int i = 0; i < count; i++)
        {
            seed += 0x9E3779B97F4A7C15L;
            keys[i] = FlowKey.mix(seed);
        }
        return keys;
    }
}
