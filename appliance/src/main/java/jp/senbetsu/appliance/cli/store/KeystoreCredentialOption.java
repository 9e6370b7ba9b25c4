package jp.senbetsu.appliance.cli.store;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The {@code --credential-file} option of commands that unlock the master key store. */
public final class KeystoreCredentialOption
{
    @Option(names = "--credential-file", paramLabel = "FILE",
        description = "File whose first line is the key-file passphrase or the PKCS#11 PIN "
            + "(default: environment SENBETSU_KEYSTORE_CREDENTIAL). Never given on the command line.")
    Path file;

    public Path file()
    {
        return file;
    }
}
