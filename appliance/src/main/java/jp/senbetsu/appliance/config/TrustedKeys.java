package jp.senbetsu.appliance.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.selector.signature.ApproverKey;
import jp.senbetsu.selector.signature.KeyFiles;
import jp.senbetsu.selector.signature.TrustPolicy;

/**
 * Builds the trust policy for rule sets from approver key files configured out of band: each path is a public key
 * file, or a directory whose {@code *.pub} files are all trusted (read in name order). Shared by the rule-set
 * commands and the appliance so both trust exactly the same way.
 */
public final class TrustedKeys
{
    private TrustedKeys()
    {
    }

    public static TrustPolicy policy(final List<Path> paths, final int requiredSignatures, final Duration clockSkew)
    {
        final List<ApproverKey> keys = new ArrayList<>();
        for (final Path path : paths)
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
                    throw new SenbetsuException("trusted keys: cannot list " + path + ": " + ex.getMessage(), ex);
                }
            }
            else
            {
                keys.add(KeyFiles.readPublic(path));
            }
        }
        if (keys.isEmpty())
        {
            throw new SenbetsuException("trusted keys: no public keys found in " + paths, SenbetsuException.EXIT_USAGE,
                null);
        }
        if (requiredSignatures < TrustPolicy.MINIMUM_REQUIRED_SIGNATURES)
        {
            throw new SenbetsuException("required signatures: " + requiredSignatures + " is below the two-person " +
                "rule's minimum of " + TrustPolicy.MINIMUM_REQUIRED_SIGNATURES, SenbetsuException.EXIT_USAGE, null);
        }
        return new TrustPolicy(keys, requiredSignatures, clockSkew);
    }
}
