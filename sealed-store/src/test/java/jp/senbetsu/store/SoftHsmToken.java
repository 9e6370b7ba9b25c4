package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway SoftHSM2 token for PKCS#11 tests, in the directory named by {@code SOFTHSM2_CONF} (set by surefire,
 * since the library reads it when it loads). Without SoftHSM2 the tests are skipped with a message, except in CI
 * ({@code CI=true}), where a missing SoftHSM2 fails them.
 */
final class SoftHsmToken
{
    static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    static final String PIN = "1234";
    static final String LABEL = "senbetsu-test";
    private static Path providerConfig;

    private SoftHsmToken()
    {
    }

    /** Creates the token once per JVM and returns the SunPKCS11 configuration file for it. */
    static synchronized Path providerConfig() throws IOException, InterruptedException
    {
        if (providerConfig != null)
        {
            return providerConfig;
        }
        final String conf = System.getenv("SOFTHSM2_CONF");
        final boolean installed = Files.exists(Path.of(LIBRARY)) && Files.isExecutable(Path.of("/usr/bin/softhsm2-util"));
        if (!installed || conf == null)
        {
            final String why = !installed ? "SoftHSM2 is not installed (apt-get install softhsm2)"
                : "SOFTHSM2_CONF is not set (run through Maven: surefire sets it)";
            if ("true".equalsIgnoreCase(System.getenv("CI")))
            {
                fail("PKCS#11 tests need SoftHSM2 in CI: " + why);
            }
            Assumptions.abort("PKCS#11 tests skipped: " + why);
        }
        final Path confFile = Path.of(conf);
        final Path tokens = confFile.resolveSibling("tokens");
        TestStores.deleteTree(tokens);
        Files.createDirectories(tokens);
        Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
            + "log.level = ERROR\n");
        final Process init = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", LABEL,
            "--pin", PIN, "--so-pin", "5678").redirectErrorStream(true).start();
        final String output = new String(init.getInputStream().readAllBytes());
        if (!init.waitFor(30, TimeUnit.SECONDS) || init.exitValue() != 0)
        {
            fail("softhsm2-util --init-token failed: " + output);
        }
        providerConfig = confFile.resolveSibling("pkcs11.cfg");
        Files.writeString(providerConfig, "name = SoftHSM\nlibrary = " + LIBRARY + "\nslotListIndex = 0\n");
        return providerConfig;
    }
}
