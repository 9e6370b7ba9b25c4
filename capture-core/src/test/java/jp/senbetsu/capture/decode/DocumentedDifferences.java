package jp.senbetsu.capture.decode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The allow-list of decoder/tshark disagreements, read from the table in docs/decoder-differences.md. A table
 * row {@code | file | packets | fields | reason |} names one capture, its packets ({@code 3}, {@code 1-40},
 * {@code 2,5,9-12}) and the fields that differ ({@code src, dst} or {@code count}); the reason is for people.
 */
final class DocumentedDifferences
{
    private final Map<String, Set<String>> byFile = new HashMap<>();

    static DocumentedDifferences parse(final Path markdown) throws IOException
    {
        final DocumentedDifferences result = new DocumentedDifferences();
        if (!Files.isRegularFile(markdown))
        {
            return result;
        }
        for (final String line : Files.readAllLines(markdown))
        {
            if (!line.startsWith("| `"))
            {
                continue;
            }
            final String[] cells = line.split("\\|");
            final String file = cells[1].trim().replace("`", "");
            final Set<String> keys = result.byFile.computeIfAbsent(file, f -> new TreeSet<>());
            for (final String range : cells[2].trim().split(","))
            {
                final String[] bounds = range.trim().split("-");
                final int from = Integer.parseInt(bounds[0].trim());
                final int to = bounds.length > 1 ? Integer.parseInt(bounds[1].trim()) : from;
                for (int packet = from; packet <= to; packet++)
                {
                    for (final String field : cells[3].split(","))
                    {
                        keys.add(packet + " " + field.trim());
                    }
                }
            }
        }
        return result;
    }

    Set<String> files()
    {
        return byFile.keySet();
    }

    Set<String> forFile(final String file)
    {
        return byFile.getOrDefault(file, new TreeSet<>());
    }
}
