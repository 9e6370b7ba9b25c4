package jp.senbetsu.store.query;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.store.StoreException;
import jp.senbetsu.store.StoreSession;
import jp.senbetsu.store.StoreSettings;
import jp.senbetsu.store.audit.ApplianceKey;
import jp.senbetsu.store.audit.AuditEvent;
import jp.senbetsu.store.audit.AuditFields;
import jp.senbetsu.store.chain.ChainVerifier;
import jp.senbetsu.store.chain.VerifyReport;
import jp.senbetsu.store.ipfix.IpfixFileWriter;
import jp.senbetsu.store.keys.DataKeyRing;
import jp.senbetsu.store.keys.MasterKeyStore;
import jp.senbetsu.store.keys.SecureFiles;

/**
 * An analyst's read: query (JSON Lines to a writer) or export (JSON Lines to a file, plain or encrypted for a
 * recipient). Both first verify the chain and authenticate every batch they will read, and only then write
 * anything, so a tampered store or a wrong key yields an error and no partial output. Both are audited with the
 * purpose, approval ID, filter and record count. The purpose's approval is the scope of the read: only records
 * selected under it are returned, whatever the filter says, and an approval the store does not know (no activated
 * rule set named it) is refused.
 */
public final class RecordQuery
{
    private final StoreSession session;
    private final RecordReader reader;

    public RecordQuery(final StoreSession session, final MasterKeyStore master)
    {
        this.session = session;
        this.reader = new RecordReader(session.layout(), session.settings(),
            new DataKeyRing(session.layout().keys(), master));
    }

    /** Writes matching records as JSON Lines; returns how many. */
    public long query(final RecordFilter filter, final String filterText, final Purpose purpose, final Writer out)
    {
        final long[] counted = authenticate(filter, purpose, filterText, AuditEvent.QUERY);
        final long matches = counted[0];
        audit(AuditEvent.QUERY, purpose, filterText, matches, null, null);
        final StringBuilder line = new StringBuilder(512);
        final RecordJson json = new RecordJson();
        reader.scan(filter.fromNs(), counted[1], (record, partition, batch) ->
        {
            if (filter.matches(record))
            {
                line.setLength(0);
                json.write(record, partition, batch, line);
                try
                {
                    out.append(line);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }
        });
        try
        {
            out.flush();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return matches;
    }

    /** Export file formats. */
    public enum Format
    {
        /** JSON Lines, the query output. */
        JSONL,
        /** IPFIX messages (RFC 7011, standard information elements), as an RFC 5655 file. */
        IPFIX
    }

    /** JSON Lines export; see {@link #export(RecordFilter, String, Purpose, Path, Format, char[])}. */
    public long export(final RecordFilter filter, final String filterText, final Purpose purpose, final Path file,
        final char[] recipientPassphrase)
    {
        return export(filter, filterText, purpose, file, Format.JSONL, recipientPassphrase);
    }

    /**
     * Writes matching records to {@code file} in {@code format}, encrypted with {@code recipientPassphrase} if not
     * null. The file appears only when complete; returns how many records.
     */
    public long export(final RecordFilter filter, final String filterText, final Purpose purpose, final Path file,
        final Format format, final char[] recipientPassphrase)
    {
        final long[] counted = authenticate(filter, purpose, filterText, AuditEvent.EXPORT);
        final long matches = counted[0];
        audit(AuditEvent.EXPORT, purpose, filterText, matches, file, format.name().toLowerCase(Locale.ROOT) + ", "
            + (recipientPassphrase != null ? "encrypted (AES-256-GCM, recipient passphrase)" : "plain"));
        final Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try
        {
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(partial, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 1 << 16);
                OutputStream out = recipientPassphrase != null ? new ExportFile.Writer(raw, recipientPassphrase) : raw)
            {
                SecureFiles.restrict(partial, SecureFiles.OWNER_FILE);
                if (format == Format.IPFIX)
                {
                    writeIpfix(filter, counted[1], out);
                }
                else
                {
                    writeJsonLines(filter, counted[1], out);
                }
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException | RuntimeException ex)
        {
            try
            {
                Files.deleteIfExists(partial);
            }
            catch (final IOException ignored)
            {
                // best effort; the .partial name says it is incomplete
            }
            if (ex instanceof StoreException se)
            {
                throw se;
            }
            throw new StoreException("export to " + file + " failed: " + ex.getMessage(), ex);
        }
        return matches;
    }

    private void writeJsonLines(final RecordFilter filter, final long lastSequence, final OutputStream out)
    {
        final StringBuilder line = new StringBuilder(512);
        final RecordJson json = new RecordJson();
        reader.scan(filter.fromNs(), lastSequence, (record, partition, batch) ->
        {
            if (filter.matches(record))
            {
                line.setLength(0);
                json.write(record, partition, batch, line);
                try
                {
                    out.write(line.toString().getBytes(StandardCharsets.UTF_8));
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }
        });
    }

    private void writeIpfix(final RecordFilter filter, final long lastSequence, final OutputStream out)
        throws IOException
    {
        final IpfixFileWriter ipfix = new IpfixFileWriter(out, 0, System.currentTimeMillis() / 1000);
        reader.scan(filter.fromNs(), lastSequence, (record, partition, batch) ->
        {
            if (filter.matches(record))
            {
                try
                {
                    ipfix.write(record);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }
        });
        ipfix.close();
    }

    /**
     * Verifies the chain and authenticates every batch to be read; returns the number of matches and the last
     * batch sequence covered (the output pass stops there). Audits failures.
     */
    private long[] authenticate(final RecordFilter filter, final Purpose purpose, final String filterText,
        final AuditEvent event)
    {
        // read afresh: a running appliance records each activated approval after this session opened
        if (!StoreSettings.load(session.layout().settings()).approvalRetention().containsKey(purpose.approvalId()))
        {
            final StoreException unknown = new StoreException("approval " + purpose.approvalId() + " is unknown to "
                + "this store (no activated rule set named it); a read must be done under an approval whose "
                + "records the store holds", SenbetsuException.EXIT_USAGE);
            deny(event, purpose, filterText, unknown);
            throw unknown;
        }
        // the stated purpose's approval bounds the read: records of any other approval are never returned
        filter.scope(purpose.approvalId());
        try
        {
            final VerifyReport report = new ChainVerifier(session.layout(), session.settings(),
                ApplianceKey.loadPublic(session.layout().keys().resolve(ApplianceKey.PUBLIC_FILE))).verify();
            ChainVerifier.requireOk(report);
            final long[] counted = {0, report.lastSequence()};
            reader.scan(filter.fromNs(), counted[1], (record, partition, batch) ->
            {
                if (filter.matches(record))
                {
                    counted[0]++;
                }
            });
            return counted;
        }
        catch (final StoreException ex)
        {
            deny(event, purpose, filterText, ex);
            throw ex;
        }
    }

    private void deny(final AuditEvent event, final Purpose purpose, final String filterText,
        final StoreException ex)
    {
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put("action", event.label());
        details.put(AuditFields.PURPOSE, purpose.text());
        details.put(AuditFields.APPROVAL, purpose.approvalId());
        details.put("filter", filterText);
        details.put(AuditFields.REASON, ex.getMessage());
        session.record(AuditEvent.ACCESS_DENIED, details);
    }

    private void audit(final AuditEvent event, final Purpose purpose, final String filterText, final long records,
        final Path file, final String form)
    {
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put(AuditFields.PURPOSE, purpose.text());
        details.put(AuditFields.APPROVAL, purpose.approvalId());
        details.put("filter", filterText);
        details.put(AuditFields.RECORDS, records);
        if (file != null)
        {
            details.put("file", file.toAbsolutePath().toString());
            details.put("form", form);
        }
        session.record(event, details);
    }
}
