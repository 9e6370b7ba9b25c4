package jp.senbetsu.selector.match;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jp.senbetsu.selector.rules.RuleSetException;
import jp.senbetsu.selector.signature.ApproverKey;
import jp.senbetsu.selector.signature.KeyFiles;
import jp.senbetsu.selector.signature.RuleSetLoader;
import jp.senbetsu.selector.signature.SignatureFile;
import jp.senbetsu.selector.signature.TrustPolicy;
import jp.senbetsu.selector.signature.VerifiedRuleSet;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.DomesticTableFile;

/**
 * What the appliance needs to select: where the rule set, its signatures, the trusted keys and the domestic table
 * are, and the trust policy. {@link #reload(SelectionHolder, Instant)} is what start-up and SIGHUP call: load and
 * verify everything, then activate atomically; on any error nothing changes and the previous set stays active.
 *
 * <p>Defaults: signatures in {@code <rule set>.sig}; {@value TrustPolicy#DEFAULT_REQUIRED_SIGNATURES} distinct
 * signers; clock-skew allowance {@link TrustPolicy#DEFAULT_CLOCK_SKEW} (5 minutes). Rule set, trusted keys and
 * table have no default: the appliance selects nothing until they are configured.
 */
public final class SelectionConfiguration
{
    private Path ruleSetFile;
    private Path signatureFile;
    private List<Path> trustedKeys = List.of();
    private int requiredSignatures = TrustPolicy.DEFAULT_REQUIRED_SIGNATURES;
    private Duration clockSkew = TrustPolicy.DEFAULT_CLOCK_SKEW;
    private Path tableFile;

    public Path ruleSetFile()
    {
        return ruleSetFile;
    }

    /** The rule-set YAML file. Required. */
    public SelectionConfiguration ruleSetFile(final Path v)
    {
        ruleSetFile = v;
        return this;
    }

    public Path signatureFile()
    {
        return signatureFile != null ? signatureFile : ruleSetFile == null ? null : SignatureFile.beside(ruleSetFile);
    }

    /** The detached signature file; default {@code <rule set>.sig}. */
    public SelectionConfiguration signatureFile(final Path v)
    {
        signatureFile = v;
        return this;
    }

    public List<Path> trustedKeys()
    {
        return trustedKeys;
    }

    /** Trusted public key files, or directories whose {@code *.pub} files are trusted. Required. */
    public SelectionConfiguration trustedKeys(final List<Path> v)
    {
        trustedKeys = List.copyOf(v);
        return this;
    }

    public int requiredSignatures()
    {
        return requiredSignatures;
    }

    /** Distinct trusted signers required; default 2 (the two-person rule). */
    public SelectionConfiguration requiredSignatures(final int v)
    {
        requiredSignatures = v;
        return this;
    }

    public Duration clockSkew()
    {
        return clockSkew;
    }

    /** Allowance for a set whose {@code valid_from} is slightly ahead of this clock; default 5 minutes. */
    public SelectionConfiguration clockSkew(final Duration v)
    {
        clockSkew = v;
        return this;
    }

    public Path tableFile()
    {
        return tableFile;
    }

    /** The compiled domestic address table ({@code senbetsu rules table build}). Required. */
    public SelectionConfiguration tableFile(final Path v)
    {
        tableFile = v;
        return this;
    }

    /** The trust policy from the configured keys. */
    public TrustPolicy trustPolicy()
    {
        final List<ApproverKey> keys = new ArrayList<>();
        for (final Path path : trustedKeys)
        {
            if (Files.isDirectory(path))
            {
                try (Stream<Path> files = Files.list(path))
                {
                    files.filter(f -> f.getFileName().toString().endsWith(".pub")).sorted()
                        .forEach(f -> keys.add(KeyFiles.readPublic(f)));
                }
                catch (final IOException ex)
                {
                    throw new RuleSetException(path + ": cannot list trusted keys: " + ex.getMessage(), ex);
                }
            }
            else
            {
                keys.add(KeyFiles.readPublic(path));
            }
        }
        if (keys.isEmpty())
        {
            throw new RuleSetException("no trusted approver keys configured: no rule set can be accepted");
        }
        return new TrustPolicy(keys, requiredSignatures, clockSkew);
    }

    /** A verified rule set and its domestic table, read from the configured files but not active yet. */
    public record Loaded(VerifiedRuleSet ruleSet, DomesticTable table)
    {
    }

    /**
     * Reads the domestic table and the rule set and verifies the set's signatures and window, changing nothing.
     * Throws if anything is missing, malformed, unsigned, badly signed or outside its window.
     */
    public Loaded load(final Instant now)
    {
        if (ruleSetFile == null || tableFile == null)
        {
            throw new RuleSetException("selection needs a rule-set file and a domestic table file");
        }
        final DomesticTable table = DomesticTableFile.read(tableFile);
        return new Loaded(RuleSetLoader.load(ruleSetFile, signatureFile(), trustPolicy(), now), table);
    }

    /**
     * {@link #load(Instant) Loads} table and rule set, then compiles and activates them in one swap. Throws (and
     * changes nothing) if anything is missing, malformed, unsigned, badly signed or outside its window.
     */
    public Selection reload(final SelectionHolder holder, final Instant now)
    {
        final Loaded loaded = load(now);
        return holder.activate(loaded.ruleSet(), loaded.table());
    }
}
