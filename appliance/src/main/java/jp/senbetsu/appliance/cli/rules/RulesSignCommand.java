package jp.senbetsu.appliance.cli.rules;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.RuleSetLinter;
import jp.senbetsu.selector.rules.RuleSetParser;
import jp.senbetsu.selector.signature.KeyFiles;
import jp.senbetsu.selector.signature.RuleSetSigner;
import jp.senbetsu.selector.signature.SignatureFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code senbetsu rules sign}: adds one person's signature to a rule set's signature file. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
        "Sign a rule set's canonical form with your Ed25519 key and append the signature to SET.sig. " +
            "The set is parsed strictly first; a set with lint errors is not signed. Each signer signs " +
            "independently; the appliance needs --required distinct signers (default 2)." })
public final class RulesSignCommand implements Callable<Integer>
{
    @Option(names = "--key", required = true, description = "Your private key file (from 'rules keygen').")
    Path key;

    @Option(names = "--signatures", paramLabel = "FILE", description = "Signature file (default: SET.sig).")
    Path signatures;

    @Parameters(paramLabel = "SET", description = "Rule-set YAML file.")
    Path set;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        final RuleSet ruleSet = RuleSetParser.parse(set);
        RuleSetLinter.lint(ruleSet, java.time.Instant.now()).stream()
            .filter(f -> f.severity() == RuleSetLinter.Severity.ERROR)
            .findFirst()
            .ifPresent(f ->
            {
                throw new jp.senbetsu.selector.rules.RuleSetException(set + ":" + f.line() + ": " + f.message());
            });
        final KeyFiles.Signing signing = KeyFiles.readPrivate(key);
        final Path target = signatures != null ? signatures : SignatureFile.beside(set);
        SignatureFile.append(target, signing.keyId(), RuleSetSigner.sign(ruleSet, signing.key()), signing.name());
        spec.commandLine().getOut().println("signed rule set '" + ruleSet.id() + "' version " + ruleSet.version() +
            " (" + ruleSet.rules().size() + " rules) as " + signing.name() + "/" + signing.role() + " (key " +
            signing.keyId() + "): " + target);
        return 0;
    }
}
