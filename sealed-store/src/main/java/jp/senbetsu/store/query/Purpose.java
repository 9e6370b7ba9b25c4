package jp.senbetsu.store.query;

import jp.senbetsu.capture.SenbetsuException;
import jp.senbetsu.store.StoreException;

/**
 * Why an analyst reads records: free text and the approval ID it is done under. Both are required and both are
 * written to the audit log with the read. They are audit data, never stored with records.
 */
public record Purpose(String text, String approvalId)
{
    public Purpose
    {
        if (text == null || text.isBlank())
        {
            throw new StoreException("reading records needs a stated purpose (--purpose)", SenbetsuException.EXIT_USAGE);
        }
        if (approvalId == null || approvalId.isBlank())
        {
            throw new StoreException("reading records needs the approval ID it is done under (--purpose-approval)",
                SenbetsuException.EXIT_USAGE);
        }
    }
}
