package jp.senbetsu.appliance.cli.rules;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.selector.signature.ApproverKey;
import jp.senbetsu.selector.signature.KeyFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code senbetsu rules keygen}: makes one person's Ed25519 signing key pair. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
        "Generate an Ed25519 rule-set signing key pair: PREFIX.key (private, mode 600, keep it offline) and " +
            "PREFIX.pub (give it to the appliance operator to configure as a trusted key)." })
public final class RulesKeygenCommand implements Callable<Integer>
{
    @Option(names = "--name", required = true, description = "Name of the key holder, shown in verification output.")
    String name;

    @Option(names = "--role", required = true, description = "operator or approver.")
    String role;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PREFIX",
        description = "Path prefix of the two files to write (PREFIX.key, PREFIX.pub); existing files are kept.")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        if (!KeyFiles.ROLES.contains(role))
        {
            throw new SenbetsuException("--role: '" + role + "' is not operator or approver",
                SenbetsuException.EXIT_USAGE, null);
        }
        if (!name.matches("[A-Za-z0-9._@-]{1,64}"))
        {
            throw new SenbetsuException("--name: use 1..64 letters, digits, '.', '_', '@' or '-'",
                SenbetsuException.EXIT_USAGE, null);
        }
        final KeyPair pair = KeyFiles.generate();
        final Path publicFile = Path.of(output + ".pub");
        final Path privateFile = Path.of(output + ".key");
        KeyFiles.writePrivate(privateFile, name, role, pair);
        KeyFiles.writePublic(publicFile, name, role, pair.getPublic());
        spec.commandLine().getOut().println("key " + ApproverKey.keyIdOf(pair.getPublic()) + " for " + name + " (" +
            role + "): private " + privateFile + ", public " + publicFile);
        return 0;
    }
}
