package jp.senbetsu.selector.rules;

import java.time.Period;

/**
 * One approval of the oversight commission that rules of a set cite as their authority, with how long records it
 * authorises may be kept (the store shreds partitions past it).
 *
 * @param id        approval ID as issued, at most 24 ASCII characters (it is carried in every selected record).
 * @param retention retention period, two years unless the approval says otherwise.
 * @param line      line of the rule-set file where it is defined.
 */
public record Approval(String id, Period retention, int line)
{
    /** Retention when an approval does not state one. */
    public static final Period DEFAULT_RETENTION = Period.ofYears(2);
}
