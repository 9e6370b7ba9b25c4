package jp.senbetsu.selector.signature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jp.senbetsu.selector.rules.RuleSetException;

/**
 * Approver key files: small text files of {@code name: value} lines, the key in base64 (X.509 for public keys,
 * PKCS#8 for private ones). The private key file is written owner-read-only; it belongs on the approver's own
 * machine or token, never on the appliance. Ed25519 comes from the JDK, nothing else is needed.
 */
public final class KeyFiles
{
    public static final String ALGORITHM = "Ed25519";
    public static final List<String> ROLES = List.of("operator", "approver");

    private KeyFiles()
    {
    }

    public static KeyPair generate()
    {
        try
        {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public static void writePublic(final Path file, final String name, final String role, final PublicKey key)
    {
        final String text = "# senbetsu rule-set signing key (public): give this to the appliance operator\n" +
            "name: " + name + "\nrole: " + role + "\nkey-id: " + ApproverKey.keyIdOf(key) + "\n" +
            "ed25519: " + Base64.getEncoder().encodeToString(key.getEncoded()) + "\n";
        write(file, text, false);
    }

    public static void writePrivate(final Path file, final String name, final String role, final KeyPair pair)
    {
        final String text = "# senbetsu rule-set signing key (PRIVATE): keep it offline, never on the appliance\n" +
            "name: " + name + "\nrole: " + role + "\nkey-id: " + ApproverKey.keyIdOf(pair.getPublic()) + "\n" +
            "ed25519-private: " + Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n";
        write(file, text, true);
    }

    public static ApproverKey readPublic(final Path file)
    {
        final Map<String, String> fields = read(file);
        final PublicKey key;
        try
        {
            key = KeyFactory.getInstance(ALGORITHM).generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode(field(file, fields, "ed25519"))));
        }
        catch (final GeneralSecurityException | IllegalArgumentException ex)
        {
            throw new RuleSetException(file + ": field 'ed25519': not an Ed25519 public key");
        }
        return ApproverKey.of(field(file, fields, "name"), role(file, fields), key);
    }

    /**
     * A private key with the holder's public identity.
     *
     * @param key   the Ed25519 private key.
     * @param name  holder's name.
     * @param role  holder's role.
     * @param keyId key ID of the matching public key.
     */
    public record Signing(PrivateKey key, String name, String role, String keyId)
    {
    }

    public static Signing readPrivate(final Path file)
    {
        final Map<String, String> fields = read(file);
        final PrivateKey key;
        try
        {
            key = KeyFactory.getInstance(ALGORITHM).generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(field(file, fields, "ed25519-private"))));
        }
        catch (final GeneralSecurityException | IllegalArgumentException ex)
        {
            throw new RuleSetException(file + ": field 'ed25519-private': not an Ed25519 private key");
        }
        return new Signing(key, field(file, fields, "name"), role(file, fields), field(file, fields, "key-id"));
    }

    private static String role(final Path file, final Map<String, String> fields)
    {
        final String role = field(file, fields, "role");
        if (!ROLES.contains(role))
        {
            throw new RuleSetException(file + ": field 'role': '" + role + "' is not operator or approver");
        }
        return role;
    }

    private static String field(final Path file, final Map<String, String> fields, final String key)
    {
        final String value = fields.get(key);
        if (value == null || value.isEmpty())
        {
            throw new RuleSetException(file + ": field '" + key + "' is missing");
        }
        return value;
    }

    private static Map<String, String> read(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new RuleSetException(file + ": cannot read key file: " + ex.getMessage(), ex);
        }
        final Map<String, String> out = new HashMap<>();
        for (final String line : lines)
        {
            final String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#"))
            {
                continue;
            }
            final int colon = trimmed.indexOf(':');
            if (colon > 0)
            {
                out.put(trimmed.substring(0, colon).strip(), trimmed.substring(colon + 1).strip());
            }
        }
        return out;
    }

    private static void write(final Path file, final String text, final boolean secret)
    {
        try
        {
            if (Files.exists(file))
            {
                throw new RuleSetException(file + ": exists already; refusing to overwrite a key file");
            }
            if (secret)
            {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, text, StandardCharsets.UTF_8);
            }
            else
            {
                Files.writeString(file, text, StandardCharsets.UTF_8);
            }
        }
        catch (final IOException ex)
        {
            throw new RuleSetException(file + ": cannot write key file: " + ex.getMessage(), ex);
        }
    }
}
