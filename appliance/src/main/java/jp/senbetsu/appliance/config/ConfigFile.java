package jp.senbetsu.appliance.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the one YAML configuration file into a {@link ConfigNode} tree. YAML 1.2 (snakeyaml-engine), so
 * {@code no} is a string and not false; one document only; no aliases (a config file has no use for them and
 * they let a small file expand without bound).
 */
public final class ConfigFile
{
    private ConfigFile()
    {
    }

    public static ConfigNode read(final Path file)
    {
        final String name = file.toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            return parse(name, reader);
        }
        catch (final NoSuchFileException e)
        {
            throw new ConfigException(name, "", "no such file");
        }
        catch (final IOException e)
        {
            throw new ConfigException(name, "", "cannot read: " + e.getMessage());
        }
    }

    static ConfigNode parse(final String name, final Reader reader)
    {
        final LoadSettings settings = LoadSettings.builder()
            .setLabel(name)
            .setAllowDuplicateKeys(false)
            .setMaxAliasesForCollections(0)
            .setAllowRecursiveKeys(false)
            .build();
        try
        {
            final Optional<Node> root = new Compose(settings).composeReader(reader);
            return new ConfigNode(name, "", root.orElse(null));
        }
        catch (final MarkedYamlEngineException e)
        {
            final String where = e.getProblemMark()
                .map(m -> name + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)).orElse(name);
            throw new ConfigException(where, "", "not valid YAML: " + e.getProblem());
        }
        catch (final YamlEngineException e)
        {
            throw new ConfigException(name, "", "not valid YAML: " + e.getMessage());
        }
    }
}
