package jp.senbetsu.store;

/**
 * When a sealed batch counts as acknowledged.
 */
public enum Durability
{
    /** Written into the memory-mapped queue file: survives a crash of the process, not of the machine. */
    WRITTEN,
    /** Also flushed to the device (msync of the queue file) before acknowledging: survives power loss. */
    SYNCED
}
