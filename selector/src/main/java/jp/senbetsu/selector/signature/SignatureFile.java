package jp.senbetsu.selector.signature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jp.senbetsu.selector.rules.RuleSetException;

/**
 * The detached signatures of a rule set: {@code SET.yaml.sig} beside {@code SET.yaml}, one line per signer, so
 * an operator and an approver can sign the same file independently and in either order.
 */
public final class SignatureFile
{
    public static final String SUFFIX = ".sig";

    private SignatureFile()
    {
    }

    /** Where the signatures of a rule-set file live by default. */
    public static Path beside(final Path ruleSet)
    {
        return ruleSet.resolveSibling(ruleSet.getFileName() + SUFFIX);
    }

    /** Reads the signatures; an absent file reads as no signatures. */
    public static List<SignatureLine> read(final Path file)
    {
        if (!Files.exists(file))
        {
            return List.of();
        }
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new RuleSetException(file + ": cannot read signatures: " + ex.getMessage(), ex);
        }
        final List<SignatureLine> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String[] words = line.split("\\s+");
            if (words.length < 3 || !"ed25519".equals(words[0]))
            {
                throw new RuleSetException(file + ":" + (i + 1) + ": expected 'ed25519 KEY-ID SIGNATURE [NAME]'");
            }
            final byte[] signature;
            try
            {
                signature = Base64.getDecoder().decode(words[2]);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new RuleSetException(file + ":" + (i + 1) + ": signature is not base64");
            }
            out.add(new SignatureLine(words[1], signature, words.length > 3 ? words[3] : "", i + 1));
        }
        return out;
    }

    public static void append(final Path file, final String keyId, final byte[] signature, final String signer)
    {
        final String line = "ed25519 " + keyId + " " + Base64.getEncoder().encodeToString(signature) + " " + signer +
            "\n";
        try
        {
            Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new RuleSetException(file + ": cannot write signature: " + ex.getMessage(), ex);
        }
    }
}
