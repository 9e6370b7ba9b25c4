package jp.senbetsu.store.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The secret that unlocks the master key store: the key-file passphrase or the PKCS#11 user PIN. Read from a
 * file (first line) or an environment variable, never from the command line, so it does not appear in process
 * listings or shell history. {@link #source()} names where it came from for the audit log.
 */
public record KeystoreCredential(char[] secret, String source)
{
    /** Environment variable consulted when no credential file is given. */
    public static final String ENVIRONMENT = "SENBETSU_KEYSTORE_CREDENTIAL";

    public static KeystoreCredential fromFile(final Path file)
    {
        try
        {
            final String text = Files.readString(file, StandardCharsets.UTF_8);
            final int newline = text.indexOf('\n');
            final String line = newline < 0 ? text : text.substring(0, newline);
            return new KeystoreCredential(line.strip().toCharArray(), "credential file " + file.toAbsolutePath());
        }
        catch (final IOException ex)
        {
            throw new KeystoreException("cannot read credential file " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** From a file if given, else from {@value #ENVIRONMENT}; a {@link KeystoreException} if neither. */
    public static KeystoreCredential resolve(final Path file)
    {
        if (file != null)
        {
            return fromFile(file);
        }
        final String env = System.getenv(ENVIRONMENT);
        if (env != null && !env.isEmpty())
        {
            return new KeystoreCredential(env.toCharArray(), "environment " + ENVIRONMENT);
        }
        throw new KeystoreException("this command needs the key store credential: give --credential-file or set "
            + ENVIRONMENT);
    }
}
