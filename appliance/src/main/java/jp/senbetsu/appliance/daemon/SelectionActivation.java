package jp.senbetsu.appliance.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.selector.match.SelectionConfiguration;
import jp.senbetsu.selector.match.SelectionHolder;
import jp.senbetsu.selector.rules.Approval;
import jp.senbetsu.selector.signature.ApproverKey;
import jp.senbetsu.selector.signature.VerifiedRuleSet;
import jp.senbetsu.selector.table.DomesticTable;
import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.StoreSettings;
import jp.senbetsu.store.audit.AuditEvent;

/**
 * Makes a signed rule set and its domestic table the active selection: reads and verifies both, records each
 * approval's retention where erasure reads it, swaps them in atomically, and writes the activation (rule set,
 * version, signers, table version) or the refusal into the audit log. Used at start and on every SIGHUP.
 */
final class SelectionActivation
{
    private final SelectionConfiguration settings;
    private final StoreSession session;
    private final SelectionHolder holder;

    SelectionActivation(
        final SelectionConfiguration settings, final StoreSession session,
        final SelectionHolder holder)
    {
        this.settings = settings;
        this.session = session;
        this.holder = holder;
    }

    /** Verifies and activates; anything wrong throws and leaves the active selection as it was. */
    synchronized void activate()
    {
        // loaded, not reloaded through the configuration: retention is recorded first, the audit names the signers
        final SelectionConfiguration.Loaded loaded = settings.load(Instant.now());
        final VerifiedRuleSet ruleSet = loaded.ruleSet();
        final DomesticTable table = loaded.table();
        recordRetention(ruleSet);
        holder.activate(ruleSet, table);
        final List<String> signers = new ArrayList<>();
        for (final ApproverKey signer : ruleSet.signers())
        {
            signers.add(signer.name() + " (" + signer.role() + ", " + signer.keyId() + ")");
        }
        session.record(AuditEvent.RULESET_ACTIVATE, Map.of(
            "outcome", "activated",
            "rule_set", ruleSet.ruleSet().id(),
            "version", ruleSet.ruleSet().version(),
            "signers", String.join("; ", signers),
            "table_version", table.versionHex()));
    }

    /**
     * Activates again from the same files (SIGHUP). A refusal is audited and returned; the previous selection
     * stays active.
     *
     * @return the error that refused the new set, or null when it was activated.
     */
    SenbetsuException reload()
    {
        try
        {
            activate();
            return null;
        }
        catch (final SenbetsuException ex)
        {
            session.record(AuditEvent.RULESET_ACTIVATE, Map.of("outcome", "refused", "reason", ex.getMessage()));
            return ex;
        }
    }

    /** Each approval's retention goes into the store's settings, where erasure reads it. */
    private void recordRetention(final VerifiedRuleSet ruleSet)
    {
        final Path settingsFile = session.layout().settings();
        StoreSettings stored = StoreSettings.load(settingsFile);
        for (final Approval approval : ruleSet.ruleSet().approvals())
        {
            stored = stored.withRetention(approval.id(), conservativeDuration(approval.retention()));
        }
        stored.save(settingsFile);
    }

    /** A retention period as a duration that never exceeds it: years of 365 days, months of 28. */
    private static Duration conservativeDuration(final Period period)
    {
        return Duration.ofDays(period.getYears() * 365L + period.getMonths() * 28L + period.getDays());
    }
}
