package jp.senbetsu.selector.match;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import jp.senbetsu.capture.classify.Category;
import jp.senbetsu.capture.record.FlowRecord;
import jp.senbetsu.selector.record.SelectedFlowRecord;
import jp.senbetsu.selector.rules.Approval;
import jp.senbetsu.selector.rules.Criteria;
import jp.senbetsu.selector.rules.Rule;
import jp.senbetsu.selector.rules.RuleSet;
import jp.senbetsu.selector.signature.TestVerification;
import jp.senbetsu.selector.table.AddressClass;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.selector.table.SpecialPurposeRanges;
import jp.senbetsu.selector.table.TableEntry;
import jp.senbetsu.selector.table.TestTables;
import jp.senbetsu.selector.trie.Cidr;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The law's hardest line: under a rule set that matches everything, a million flows whose ends are each domestic
 * or unknown must produce zero selected records, and only counters.
 */
class DomesticLeakTest
{
    private static final int FLOWS = 1_000_000;

    static RuleSet matchEverything()
    {
        final int all = (1 << Category.FOREIGN_FOREIGN.code()) | (1 << Category.FOREIGN_DOMESTIC.code()) |
            (1 << Category.DOMESTIC_FOREIGN.code());
        final Instant from = Instant.parse("2000-01-01T00:00:00Z");
        final Instant until = Instant.parse("2100-01-01T00:00:00Z");
        final Criteria any = new Criteria(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
            null, List.of(), List.of());
        final Criteria everyAddress = new Criteria(List.of(), List.of(), List.of(Cidr.parse("0.0.0.0/0"),
            Cidr.parse("::/0")), List.of(), List.of(), List.of(), List.of(), null, List.of(), List.of());
        return new RuleSet("rs-everything", 1, "test", from, until, all, TestTables.small().versionHex(),
            List.of(new Approval("APP-ALL", Approval.DEFAULT_RETENTION, 0)),
            List.of(new Rule(0, "any", "APP-ALL", all, from, until, any, 0, 0),
                new Rule(1, "every-address", "APP-ALL", all, from, until, everyAddress, 0, 0)),
            new byte[0], "test");
    }

    /**
     * Both ways the selector decides: one flow at a time, and in batches of {@link DecisionBatch#CAPACITY} (what the
     * appliance's selection stage uses), each batch's flows drawn the same way.
     */
    @ParameterizedTest(name = "in batches: {0}")
    @ValueSource(booleans = {false, true})
    void noFlowBetweenDomesticOrUnknownEndsIsEverSelected(final boolean inBatches)
    {
        final DomesticTable table = TestTables.small();
        final SelectionHolder holder = new SelectionHolder();
        holder.activate(TestVerification.signedAndVerified(matchEverything()), table);
        final Selector selector = new Selector(holder);
        final SplittableRandom random = new SplittableRandom(0x1EA6L);
        final List<List<Cidr>> domestic = List.of(prefixes(table, 4, AddressClass.DOMESTIC),
            prefixes(table, 6, AddressClass.DOMESTIC));
        final List<List<Cidr>> special = List.of(
            SpecialPurposeRanges.RANGES.stream().map(r -> Cidr.parse(r[0])).filter(c -> c.family() == 4).toList(),
            SpecialPurposeRanges.RANGES.stream().map(r -> Cidr.parse(r[0])).filter(c -> c.family() == 6).toList());
        final FlowFixture[] fixtures = new FlowFixture[DecisionBatch.CAPACITY];
        final FlowRecord[] flows = new FlowRecord[DecisionBatch.CAPACITY];
        for (int j = 0; j < fixtures.length; j++)
        {
            fixtures[j] = new FlowFixture();
            flows[j] = fixtures[j].flow;
        }
        final DecisionBatch batch = new DecisionBatch();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[SelectedFlowRecord.MAX_LENGTH]);
        final SelectedFlowRecord record = new SelectedFlowRecord().wrap(out, 0);
        final int perCall = inBatches ? DecisionBatch.CAPACITY : 1;
        long selected = 0;
        long written = 0;
        for (int i = 0; i < FLOWS; i += perCall)
        {
            for (int j = 0; j < perCall; j++)
            {
                final int family = random.nextBoolean() ? 4 : 6;
                final long[] src = domesticOrUnknown(random, family, domestic, special, table);
                final long[] dst = domesticOrUnknown(random, family, domestic, special, table);
                fixtures[j].set(family, src, dst, 6, random.nextInt(65536), random.nextInt(65536), 0x12, 0x12,
                    Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L, true);
            }
            if (inBatches)
            {
                selected += selector.decide(flows, perCall, batch);
                for (int j = 0; j < perCall; j++)
                {
                    written += selector.select(batch, j, flows[j], record) ? 1 : 0;
                }
                batch.clear();
            }
            else if (selector.select(fixtures[0].flow, record))
            {
                selected++;
                written++;
            }
        }
        assertEquals(0, selected);
        assertEquals(0, written, "no selected record was written");
        for (int b = 0; b < SelectedFlowRecord.MAX_LENGTH; b++)
        {
            assertEquals(0, out.getByte(b), "byte " + b + " of the output: nothing was ever written there");
        }
        final SelectionCounters counters = selector.counters();
        assertEquals(0, counters.totalSelected());
        assertEquals(FLOWS, counters.totalDiscarded());
        assertEquals(FLOWS, counters.discarded(Category.DOMESTIC_DOMESTIC, DiscardReason.CATEGORY_NOT_ELIGIBLE) +
            counters.discarded(Category.UNKNOWN, DiscardReason.CATEGORY_NOT_ELIGIBLE));
        // both kinds were really generated
        assertEquals(true, counters.discarded(Category.DOMESTIC_DOMESTIC, DiscardReason.CATEGORY_NOT_ELIGIBLE) >
            FLOWS / 10);
        assertEquals(true, counters.discarded(Category.UNKNOWN, DiscardReason.CATEGORY_NOT_ELIGIBLE) > FLOWS / 10);

        // control: the same rule set does select a cross-border flow, so zero above means something
        final List<Cidr> foreign = prefixes(table, 4, AddressClass.FOREIGN);
        final FlowFixture fixture = fixtures[0];
        fixture.set(4, TestTables.randomInside(random, foreign.getFirst()),
            TestTables.randomInside(random, domestic.getFirst().getFirst()), 6, 1, 2, 0, 0,
            Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L, true);
        if (inBatches)
        {
            assertEquals(1, selector.decide(flows, 1, batch));
            assertEquals(true, selector.select(batch, 0, flows[0], record));
        }
        else
        {
            assertEquals(true, selector.select(fixture.flow, record));
        }
        assertEquals(Category.FOREIGN_DOMESTIC.code(), record.category());
    }

    private static List<Cidr> prefixes(final DomesticTable table, final int family, final int addressClass)
    {
        return TestTables.entries(table, family, addressClass).stream().map(TableEntry::cidr).toList();
    }

    private static long[] domesticOrUnknown(final SplittableRandom random, final int family,
        final List<List<Cidr>> domestic, final List<List<Cidr>> special, final DomesticTable table)
    {
        final int f = family == 4 ? 0 : 1;
        return switch (random.nextInt(3))
        {
            case 0 -> TestTables.randomInside(random, domestic.get(f).get(random.nextInt(domestic.get(f).size())));
            case 1 -> TestTables.randomInside(random, special.get(f).get(random.nextInt(special.get(f).size())));
            default -> unannounced(random, family, table);
        };
    }

    /** A random address that the table does not place (neither delegated nor overridden). */
    private static long[] unannounced(final SplittableRandom random, final int family, final DomesticTable table)
    {
        while (true)
        {
            final long[] key = TestTables.randomInside(random, Cidr.parse(family == 4 ? "0.0.0.0/0" : "::/0"));
            if (table.addressClass(table.trie(family).lookup(key[0], key[1])) != AddressClass.FOREIGN)
            {
                return key;
            }
        }
    }
}
