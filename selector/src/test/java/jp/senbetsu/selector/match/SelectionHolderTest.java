package jp.senbetsu.selector.match;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.rules.RuleSetException;
import jp.senbetsu.selector.rules.RuleSetParser;
import jp.senbetsu.selector.signature.ApproverKey;
import jp.senbetsu.selector.signature.KeyFiles;
import jp.senbetsu.selector.signature.RuleSetSignatureTestDocuments;
import jp.senbetsu.selector.signature.RuleSetSigner;
import jp.senbetsu.selector.signature.SignatureFile;
import jp.senbetsu.selector.signature.TestVerification;
import jp.senbetsu.selector.signature.VerifiedRuleSet;
import jp.senbetsu.selector.table.AddressClass;
import jp.senbetsu.selector.table.CountryCode;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.DomesticTableFile;
import jp.senbetsu.selector.table.TableEntry;
import jp.senbetsu.selector.table.TestTables;
import jp.senbetsu.selector.trie.Cidr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectionHolderTest
{
    @Test
    void reloadingUnderLoadNeitherDropsNorDoubleCountsAFlow() throws Exception
    {
        final DomesticTable table = TestTables.small();
        final RuleSet base = DomesticLeakTest.matchEverything();
        final SelectionHolder holder = new SelectionHolder();
        holder.activate(TestVerification.signedAndVerified(withVersion(base, 1)), table);
        final AtomicBoolean done = new AtomicBoolean();
        final Set<Integer> activated = ConcurrentHashMap.newKeySet();
        activated.add(1);
        final Thread reloader = new Thread(() ->
        {
            int version = 2;
            while (!done.get())
            {
                activated.add(version);
                holder.activate(TestVerification.signedAndVerified(withVersion(base, version)), table);
                version++;
            }
        });
        reloader.start();

        final Selector selector = new Selector(holder);
        final FlowFixture fixture = new FlowFixture();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        final SelectedFlowRecord record = new SelectedFlowRecord().wrap(out, 0);
        final SplittableRandom random = new SplittableRandom(7);
        final Cidr foreign = TestTables.entries(table, 4, AddressClass.FOREIGN).getFirst().cidr();
        final List<Cidr> domestic = TestTables.entries(table, 4, AddressClass.DOMESTIC).stream()
            .map(TableEntry::cidr).toList();
        final int flows = 300_000;
        long selected = 0;
        long expectedSelected = 0;
        int lastVersion = 0;
        for (int i = 0; i < flows; i++)
        {
            final boolean crossBorder = random.nextBoolean();
            fixture.set(4, TestTables.randomInside(random, crossBorder ? foreign : domestic.get(0)),
                TestTables.randomInside(random, domestic.get(random.nextInt(domestic.size()))), 17, 53, 53, 0, 0,
                Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L, true);
            expectedSelected += crossBorder ? 1 : 0;
            if (selector.select(fixture.flow, record))
            {
                selected++;
                // each record names the one version that decided it, and versions only move forward
                assertTrue(activated.contains(record.ruleSetVersion()));
                assertTrue(record.ruleSetVersion() >= lastVersion);
                lastVersion = record.ruleSetVersion();
                assertEquals(selector.decidedBy().rules().ruleSet().version(), record.ruleSetVersion());
            }
        }
        done.set(true);
        reloader.join();
        assertTrue(holder.current().generation() > 2, "the reloader swapped during the run");
        assertEquals(expectedSelected, selected);
        assertEquals(flows, selector.counters().totalSelected() + selector.counters().totalDiscarded());
        assertEquals(expectedSelected, selector.counters().selected(Category.FOREIGN_DOMESTIC));
    }

    @Test
    void aTableOtherThanTheOneTheSetIsSignedForIsRefusedAndThePreviousStaysActive()
    {
        final DomesticTable signedFor = TestTables.small();
        final VerifiedRuleSet set = TestVerification.signedAndVerified(DomesticLeakTest.matchEverything());
        final SelectionHolder holder = new SelectionHolder();
        final Selection first = holder.activate(set, signedFor);

        // one operator rebuilds the table with an override that makes a domestic block "foreign"
        final TableEntry domestic = TestTables.entries(signedFor, 4, AddressClass.DOMESTIC).getFirst();
        final List<TableEntry> entries = new ArrayList<>(signedFor.entries());
        entries.set(entries.indexOf(domestic),
            new TableEntry(domestic.cidr(), AddressClass.FOREIGN, CountryCode.pack("US"), 0));
        final DomesticTable rebuilt = DomesticTable.of(entries);
        final RuleSetException refused = assertThrows(RuleSetException.class, () -> holder.activate(set, rebuilt));
        assertEquals("test: field 'table': rule set 'rs-everything' version 1 is signed for domestic table " +
            signedFor.versionHex() + " but the table given is " + rebuilt.versionHex() + ": use the table the set " +
            "was signed for, or sign a new version of the set bound to this table", refused.getMessage());
        assertEquals(first, holder.current());

        // so a flow between two addresses of that block stays 内内 and is not selected
        final Selector selector = new Selector(holder);
        final FlowFixture fixture = new FlowFixture();
        final SplittableRandom random = new SplittableRandom(11);
        fixture.set(4, TestTables.randomInside(random, domestic.cidr()), TestTables.randomInside(random,
            domestic.cidr()), 17, 53, 53, 0, 0, Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() *
            1_000_000_000L, true);
        assertEquals(false, selector.decide(fixture.flow));
        assertEquals(Category.DOMESTIC_DOMESTIC.code(), selector.category());
    }

    @Test
    void anUnverifiedDraftDecidesButItsHolderNeverActivates()
    {
        final SelectionHolder draft = SelectionHolder.unverifiedDraft(DomesticLeakTest.matchEverything(),
            TestTables.small());
        assertTrue(draft.isUnverifiedDraft());
        assertEquals(false, new SelectionHolder().isUnverifiedDraft());
        final Selector selector = new Selector(draft);
        final FlowFixture fixture = new FlowFixture();
        fixture.set(4, new long[] {0x0808080800000000L, 0}, new long[] {0x8500000100000000L, 0}, 6, 1, 2, 0, 0,
            Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L, true);
        assertTrue(selector.decide(fixture.flow), "the draft selects like a verified set would");
        final Selection before = draft.current();
        final RuleSetException refused = assertThrows(RuleSetException.class, () -> draft.activate(
            TestVerification.signedAndVerified(DomesticLeakTest.matchEverything()), TestTables.small()));
        assertEquals("rule set 'rs-everything': this holder carries an unverified draft for 'rules test' and never " +
            "activates a rule set", refused.getMessage());
        assertEquals(before, draft.current());
    }

    @Test
    void beforeAnyActivationNothingIsSelectedAndTheClassifierSaysUnknown()
    {
        final SelectionHolder holder = new SelectionHolder();
        assertNull(holder.current());
        final Selector selector = new Selector(holder);
        final FlowFixture fixture = new FlowFixture();
        fixture.set(4, new long[] {0x0808080800000000L, 0}, new long[] {0x8500000100000000L, 0}, 6, 1, 2, 0, 0, 1,
            true);
        assertEquals(false, selector.decide(fixture.flow));
        assertEquals(1, selector.counters().discarded(Category.UNKNOWN, DiscardReason.NO_ACTIVE_RULE_SET));
        assertEquals(Category.UNKNOWN.code(), holder.classifier().classify(4, fixture.buffer,
            fixture.flow.srcAddressOffset(), fixture.flow.dstAddressOffset()));
        holder.activate(TestVerification.signedAndVerified(DomesticLeakTest.matchEverything()),
            TestTables.small());
        assertEquals(Category.FOREIGN_DOMESTIC.code(), holder.classifier().classify(4, fixture.buffer,
            fixture.flow.srcAddressOffset(), fixture.flow.dstAddressOffset()));
    }

    @Test
    void aRefusedReloadLeavesThePreviousSetActive(@TempDir final Path dir)
        throws Exception
    {
        final KeyPair alice = KeyFiles.generate();
        final KeyPair bob = KeyFiles.generate();
        KeyFiles.writePublic(dir.resolve("alice.pub"), "alice", "operator", alice.getPublic());
        KeyFiles.writePublic(dir.resolve("bob.pub"), "bob", "approver", bob.getPublic());
        final Path set = dir.resolve("rules.yaml");
        Files.writeString(set, RuleSetSignatureTestDocuments.document(1));
        for (final KeyPair pair : List.of(alice, bob))
        {
            final RuleSet parsed = RuleSetParser.parse(set);
            SignatureFile.append(
                SignatureFile.beside(set),
                ApproverKey.keyIdOf(pair.getPublic()),
                RuleSetSigner.sign(parsed, pair.getPrivate()), "signer");
        }
        final Instant now = Instant.parse("2026-06-01T00:00:00Z");
        final Path tableFile = dir.resolve("table.sbdt");
        DomesticTableFile.write(TestTables.small(), tableFile);
        final SelectionConfiguration configuration = new SelectionConfiguration()
            .ruleSetFile(set).trustedKeys(List.of(dir)).tableFile(tableFile);
        final SelectionHolder holder = new SelectionHolder();
        final Selection first = configuration.reload(holder, now);
        assertEquals(TestTables.small().version(), first.table().version());

        // version 2 is written over the file but not re-signed: the reload is refused, version 1 stays active
        Files.writeString(set, RuleSetSignatureTestDocuments.document(2));
        final RuleSetException refused = assertThrows(
            RuleSetException.class,
            () -> configuration.reload(holder, now));
        assertTrue(refused.getMessage().contains("does not verify"), refused.getMessage());
        assertEquals(first, holder.current());
        assertEquals(1, holder.current().rules().ruleSet().version());
    }

    private static RuleSet withVersion(final RuleSet set, final int version)
    {
        return new RuleSet(set.id(), version, set.issuer(), set.validFrom(), set.validUntil(),
            set.authorisedCategoryMask(), set.tableVersion(), set.approvals(), set.rules(), set.canonicalBytes(),
            set.source());
    }
}
