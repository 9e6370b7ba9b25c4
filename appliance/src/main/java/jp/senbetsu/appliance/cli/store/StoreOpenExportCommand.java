package jp.senbetsu.appliance.cli.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.keys.KeystoreCredential;
import jp.senbetsu.store.keys.SecureFiles;
import jp.senbetsu.store.query.ExportFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code senbetsu store open-export}: the recipient's side of an encrypted export. Needs no store, role or key
 * store: only the export file and the passphrase agreed with the sender. Prints nothing unless every chunk
 * authenticates.
 */
@Command(name = "open-export", mixinStandardHelpOptions = true,
    description = "Decrypt an encrypted export (SBX1) with the recipient passphrase and print its JSON Lines "
        + "(or write it to --output, e.g. for IPFIX). "
        + "Prints nothing if the file was altered, truncated or the passphrase is wrong.")
public final class StoreOpenExportCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Encrypted export file.")
    Path file;

    @Option(names = "--recipient-passphrase-file", paramLabel = "FILE", required = true,
        description = "File whose first line is the passphrase agreed with the sender.")
    Path passphrase;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
        description = "Write the decrypted bytes to FILE (needed for IPFIX exports); default: print JSON Lines.")
    Path output;

    @Override
    public Integer call()
    {
        final char[] secret = KeystoreCredential.fromFile(passphrase).secret();
        final byte[] plain;
        try (InputStream in = Files.newInputStream(file))
        {
            plain = ExportFile.decrypt(in, secret);
        }
        catch (final IOException ex)
        {
            throw new StoreException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        if (output != null)
        {
            // decrypted selected records: owner-only and whole, like every other file the store writes
            SecureFiles.writeAtomically(output, out -> out.write(plain));
            return 0;
        }
        spec.commandLine().getOut().print(new String(plain, StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
