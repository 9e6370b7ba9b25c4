package jp.senbetsu.selector.rules;

import java.time.Instant;

/**
 * One selection rule: an approved purpose turned into criteria. Rules are numbered by their position in the set
 * ({@link #ordinal()}); the first matching rule by that order decides which approval a selected record carries.
 *
 * @param ordinal       position in the set, 0 first (highest priority).
 * @param id            rule ID, at most 24 ASCII characters.
 * @param approval      ID of the approval that authorises it.
 * @param categoryMask  bit {@code 1 << Category.code()} for each category it may select.
 * @param validFrom     first instant it may select (inclusive), already narrowed to the set's window.
 * @param validUntil    instant it stops selecting (exclusive), already narrowed to the set's window.
 * @param criteria      what it matches.
 * @param keepMask      {@link KeepField} bits it allows to be kept.
 * @param line          line of the rule-set file where it starts.
 */
public record Rule(
    int ordinal,
    String id,
    String approval,
    int categoryMask,
    Instant validFrom,
    Instant validUntil,
    Criteria criteria,
    int keepMask,
    int line)
{
    public boolean allowsCategory(final int categoryCode)
    {
        return (categoryMask & (1 << categoryCode)) != 0;
    }
}
