package jp.senbetsu.capture.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real (not sparse) pcap file larger than 2 GiB, written record by record, read through the mapped views;
 * the record whose bytes straddle the 2 GiB offset must arrive whole and correct. The file is deleted with the
 * temporary directory.
 */
class LargeFileTest
{
    private static final int DATA_LENGTH = 65_000;
    private static final int RECORD_LENGTH = 16 + DATA_LENGTH;
    private static final long TWO_GIB = 1L << 31;
    private static final int RECORDS = (int)((TWO_GIB + 64L * RECORD_LENGTH) / RECORD_LENGTH);
    private static final long SECONDS = 1_650_000_000L;

    @TempDir
    Path dir;

    @Test
    void readsAFileBeyondTwoGibibytesWithTheStraddlingRecordIntact() throws IOException
    {
        final long fileLength = 24L + (long)RECORDS * RECORD_LENGTH;
        assumeTrue(Files.getFileStore(dir).getUsableSpace() > fileLength + (1L << 30),
            "not enough disk space in " + dir + " for a " + fileLength + "-byte file");
        final Path file = dir.resolve("large.pcap");
        write(file);
        assertEquals(fileLength, Files.size(file));

        final long straddler = (TWO_GIB - 24) / RECORD_LENGTH;
        final long straddlerStart = 24 + straddler * RECORD_LENGTH;
        assertTrue(straddlerStart < TWO_GIB && straddlerStart + RECORD_LENGTH > TWO_GIB);

        final byte[] expected = new byte[DATA_LENGTH];
        final byte[] actual = new byte[DATA_LENGTH];
        final long[] seen = {0, 0};
        try (CaptureFileReader reader = CaptureFileReader.open(file))
        {
            final long packets = reader.read((interfaceIndex, linkType, timestampNs, wireLength, buffer, offset,
                capturedLength) ->
            {
                final long index = seen[0]++;
                assertEquals(DATA_LENGTH, capturedLength);
                assertEquals(DATA_LENGTH + 4, wireLength);
                assertEquals((SECONDS + index) * 1_000_000_000L + index % 1_000_000 * 1_000, timestampNs);
                assertEquals(index, buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN), "head stamp");
                assertEquals(~index, buffer.getLong(offset + DATA_LENGTH - 8, ByteOrder.LITTLE_ENDIAN), "tail stamp");
                if (index == straddler)
                {
                    fill(expected, index);
                    buffer.getBytes(offset, actual);
                    assertArrayEquals(expected, actual, "record straddling 2 GiB");
                    seen[1]++;
                }
            });
            assertEquals(RECORDS, packets);
            final CaptureFileStats stats = reader.stats();
            assertEquals(fileLength, stats.endOffset());
            assertEquals((long)RECORDS * DATA_LENGTH, stats.capturedBytes());
        }
        assertEquals(1, seen[1], "straddling record seen");
    }

    private static void write(final Path file) throws IOException
    {
        final ByteBuffer chunk = ByteBuffer.allocateDirect(128 * RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        final byte[] data = new byte[DATA_LENGTH];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            chunk.putInt(0xA1B2C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
                .putInt(262_144).putInt(1);
            for (long index = 0; index < RECORDS; index++)
            {
                if (chunk.remaining() < RECORD_LENGTH)
                {
                    drain(channel, chunk);
                }
                fill(data, index);
                chunk.putInt((int)(SECONDS + index)).putInt((int)(index % 1_000_000)).putInt(DATA_LENGTH)
                    .putInt(DATA_LENGTH + 4).put(data);
            }
            drain(channel, chunk);
        }
    }

    private static void drain(final FileChannel channel, final ByteBuffer chunk) throws IOException
    {
        chunk.flip();
        while (chunk.hasRemaining())
        {
            channel.write(chunk);
        }
        chunk.clear();
    }

    /** Packet bytes of record {@code index}: stamped with the index at both ends, a pattern between. */
    private static void fill(final byte[] data, final long index)
    {
        for (int i = 8; i < data.length - 8; i++)
        {
            data[i] = (byte)(i * 13 + index);
        }
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putLong(0, index).putLong(data.length - 8, ~index);
    }
}
