package jp.senbetsu.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jp.senbetsu.store.audit.AuditLog;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.keys.MasterKeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appending at full speed is killed with SIGKILL at random moments, 20 times. After each kill the
 * store opens (recovering a torn tail if there is one), verify passes, and every batch the child acknowledged
 * before dying is still there.
 */
class CrashRecoveryTest
{
    private static final int ROUNDS = 20;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedBatchSurvivesSigkill() throws Exception
    {
        TestStores.init(dir);
        final SplittableRandom random = new SplittableRandom(20261127L);
        long totalAcked = 0;
        final List<String> recoveries = new ArrayList<>();
        try (MasterKeyStore master = TestStores.unlock(dir))
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                final long maxAck = runAndKill(round, 30 + random.nextInt(400));
                try (AuditLog audit = TestStores.audit(dir);
                    SealedStore store = SealedStore.open(new StoreConfiguration(dir), master, audit,
                        TestStores.actor()))
                {
                    if (store.recovery() != null)
                    {
                        recoveries.add(store.recovery());
                    }
                    assertTrue(store.lastAcknowledgedSequence() >= maxAck, "round " + round + ": reopened at "
                        + store.lastAcknowledgedSequence() + " but the child acknowledged " + maxAck);
                }
                final VerifyReport report = TestStores.verify(dir);
                assertTrue(report.ok(), () -> "verify after kill: " + report.findings());
                assertTrue(report.lastSequence() >= maxAck, "round " + round + ": acknowledged batch " + maxAck
                    + " missing; store ends at " + report.lastSequence());
                totalAcked = Math.max(totalAcked, maxAck);
            }
        }
        assertTrue(totalAcked > ROUNDS, "the child acknowledged batches before being killed: " + totalAcked);
        System.out.println("crash test: " + ROUNDS + " kills, last acknowledged batch " + totalAcked
            + ", torn tails recovered: " + recoveries.size());
    }

    private long runAndKill(final int round, final int runMillis) throws IOException, InterruptedException
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java,
            "@" + Path.of(System.getProperty("senbetsu.root"), "config", "jvm.args"), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString(),
            Integer.toString(round));
        builder.environment().put("SENBETSU_KEYSTORE_CREDENTIAL", TestStores.PASSPHRASE);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        final Process child = builder.start();
        final AtomicLong maxAck = new AtomicLong();
        final CountDownLatch ready = new CountDownLatch(1);
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    if (line.startsWith("ready"))
                    {
                        ready.countDown();
                    }
                    else if (line.startsWith("ack "))
                    {
                        maxAck.set(Long.parseLong(line.substring(4)));
                    }
                }
            }
            catch (final IOException | NumberFormatException ignored)
            {
                // a line cut by the kill is not an acknowledgement
            }
        });
        reader.start();
        assertTrue(ready.await(60, TimeUnit.SECONDS), "child did not start");
        Thread.sleep(runMillis);
        child.destroyForcibly();
        child.waitFor();
        reader.join();
        return maxAck.get();
    }
}
