package jp.senbetsu.selector.trie;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

/**
 * Longest-prefix lookup structure after Asai and Ohara's poptrie (SIGCOMM 2015), with path compression: a 14-bit
 * (or 20-bit) direct-pointing array followed by 64-ary nodes whose children are found by population count, each of
 * which may first compare a run of up to {@value #MAX_PATH_STRIDES} strides in one step, so a lookup touches at
 * most 1 + 3 (IPv4) or 1 + 19 (IPv6) small nodes whatever the number of prefixes, usually far fewer, and never
 * allocates.
 *
 * <p>It maps every address of one family to the int value of the {@link IntervalMap} interval holding it. Node
 * layout, four longs per node in {@code nodes}:
 * <pre>
 *   word 0  vector   bit i set: slot i is an internal child
 *   word 1  leafvec  bit i set: leaf slot i starts a new run of equal leaf values
 *   word 2  base0 (high 32 bits): index of the node's first leaf in {@code leaves}
 *           base1 (low 32 bits):  index of the node's first internal child in {@code nodes}
 *   word 3  path     width (bits 0..5): how many address bits the path spans, 0 to 6 x {@value #MAX_PATH_STRIDES}
 *                    pattern (the top {@code width} bits): the address bits the path holds, left-aligned as
 *                    they stand in the key's window, so one exclusive-or and one shift compare them
 * </pre>
 * A run of levels that each have one internal child and one leaf value for all their other slots (a prefix alone
 * in its part of the space, as sparse rules and most table prefixes are) is not stored as one node per stride:
 * the node below the run carries the run as its path. A walk at a node first compares the path's bits of the
 * address with the pattern: an address that differs anywhere in it takes the run's one leaf value, stored just
 * before the node's own leaves (at {@code base0 - 1}); otherwise the walk steps at the node's slot one path below,
 * as in a plain poptrie. So every node takes the same step (a lone walk branches only on whether it has reached a
 * leaf, a batch walk not at all), and a prefix alone in its part of the space costs one node, wherever it ends.
 * IPv4 tries are built without paths (at most three levels below the direct-pointing array, where comparing a path
 * on every step cost more than the levels it saved), and their walks do not read word 3.
 * A direct entry with the sign bit set is a leaf and holds its value (low 31 bits), so a lookup that ends in the
 * array reads nothing more; otherwise it is a node index. Leaves hold int values of 0 or more: a caller that needs
 * more per address keeps it in a table indexed by the value, as the compiled rule set keeps its leaf records, which
 * are far fewer than the leaves. Instances are immutable once built and safe to share between threads.
 */
public final class Poptrie
{
    /** Bits resolved by the direct-pointing array unless the builder asks for more. */
    public static final int DIRECT_BITS = 14;
    /**
     * A wider direct-pointing array for large IPv4 tries: 4 MB, but in a trie of 10⁵ prefixes most /20 blocks
     * hold no boundary, so most lookups end in the array, and the rest need at most two nodes (20 + 6 + 6).
     */
    public static final int WIDE_DIRECT_BITS = 20;
    /** Bits resolved per node. */
    public static final int STRIDE = 6;

    private static final int LEAF = 0x8000_0000;
    private static final int NODE_WORDS = 4;
    private static final int NODE_SHIFT = 2;
    /** Bytes of a node, as a shift: 4 longs. */
    private static final int NODE_BYTES_SHIFT = 5;
    /** Byte offsets of a node's four words (see the layout above). */
    private static final int VECTOR_OFFSET = 0;
    private static final int LEAF_VECTOR_OFFSET = 8;
    private static final int BASES_OFFSET = 16;
    private static final int PATH_OFFSET = 24;
    /**
     * Most strides one node's path spans: the path and the slot below it (60 bits) fit in one 64-bit window of the
     * key ({@link Key128#window}), and the pattern in a long above its width.
     */
    static final int MAX_PATH_STRIDES = 9;
    /** Word 3 of a node: its low bits hold the path's width in bits; the pattern, left-aligned, lies above. */
    private static final int PATH_WIDTH_MASK = 63;
    /** The on-path mask of a step at a node without a path (every IPv4 node). */
    private static final int ON_PATH = -1;

    private final int family;
    private final int directBits;
    private final int[] direct;
    /**
     * The nodes, off-heap and 64-byte aligned, so that a node never straddles two cache lines (a heap array is only
     * 8-byte aligned: half of all 32-byte nodes would). Held so the memory lives as long as the trie.
     */
    private final ByteBuffer nodeMemory;
    private final long nodesAddress;
    private final int nodeWords;
    private final int[] leaves;

    private Poptrie(final int family, final int directBits, final int[] direct, final long[] nodes,
        final int[] leaves)
    {
        this.family = family;
        this.directBits = directBits;
        this.direct = direct;
        final long bytes = Math.max(8L, nodes.length * 8L);
        if (bytes > Integer.MAX_VALUE - 64)
        {
            throw new IllegalArgumentException(nodes.length / NODE_WORDS + " nodes: more than one buffer holds");
        }
        this.nodeMemory = BufferUtil.allocateDirectAligned((int)bytes, 64);
        this.nodesAddress = BufferUtil.address(nodeMemory);
        this.nodeWords = nodes.length;
        for (int i = 0; i < nodes.length; i++)
        {
            UnsafeApi.putLong(nodesAddress + (long)i * 8, nodes[i]);
        }
        this.leaves = leaves;
    }

    /**
     * Builds the trie of one family (4 or 6) answering, for every key, the value of the interval that holds it.
     * IPv4 tries are at most three levels deep and have no paths: their walks step without comparing one, which
     * measured faster for them; IPv6 tries, deep and sparse, have paths.
     */
    public static Poptrie build(final IntervalMap map, final int family)
    {
        return new Builder(map, family, DIRECT_BITS).build();
    }

    /**
     * Builds the trie of one family with a direct-pointing array of {@code directBits} bits: {@link #DIRECT_BITS} or
     * {@link #WIDE_DIRECT_BITS} (IPv4 walks need {@code 32 - directBits} to be a whole number of strides).
     */
    public static Poptrie build(final IntervalMap map, final int family, final int directBits)
    {
        if (directBits != DIRECT_BITS && directBits != WIDE_DIRECT_BITS)
        {
            throw new IllegalArgumentException("direct-pointing bits " + directBits + ": " + DIRECT_BITS + " or " +
                WIDE_DIRECT_BITS);
        }
        return new Builder(map, family, directBits).build();
    }

    private static int maxPathStrides(final int family)
    {
        if (family != 4 && family != 6)
        {
            throw new IllegalArgumentException("address family " + family + ": 4 or 6");
        }
        return family == 4 ? 0 : MAX_PATH_STRIDES;
    }

    /** Value for an IPv4 address given as the int read in network order. */
    public int lookup4(final int address)
    {
        final int entry = direct[address >>> (32 - directBits)];
        return entry < 0 ? entry & ~LEAF : leaves[leafIndex4(entry, address)];
    }

    /** Value for an IPv6 address given as its two network-order halves. */
    public int lookup6(final long hi, final long lo)
    {
        final int entry = direct[(int)(hi >>> (64 - directBits))];
        return entry < 0 ? entry & ~LEAF : leaves[leafIndex6(entry, hi, lo)];
    }

    /** Index of the leaf holding an IPv4 address whose direct entry is node {@code entry} (IPv4: no paths). */
    private int leafIndex4(final int entry, final int address)
    {
        try
        {
            final long nodes = this.nodesAddress;
            int node = entry;
            int shift = 32 - directBits - STRIDE;
            while (true)
            {
                // a lone walk branches: its branches are mostly predicted, and a miss costs only this walk
                final long at = nodeAt(nodes, node);
                final int slot = (address >>> shift) & 63;
                final long vector = UnsafeApi.getLong(at + VECTOR_OFFSET);
                final long upTo = -1L >>> (63 - slot);
                if (((vector >>> slot) & 1) == 0)
                {
                    return leafIndex(at, upTo, ON_PATH) & ~LEAF;
                }
                node = childIndex(at, vector, upTo);
                shift -= STRIDE;
            }
        }
        finally
        {
            // the walk reads the nodes by address: the trie, which holds their memory, must outlive it
            Reference.reachabilityFence(this);
        }
    }

    /** Index of the leaf holding an IPv6 address whose direct entry is node {@code entry}. */
    private int leafIndex6(final int entry, final long hi, final long lo)
    {
        try
        {
            final long nodes = this.nodesAddress;
            int node = entry;
            int depth = directBits;
            while (true)
            {
                final long at = nodeAt(nodes, node);
                final long path = UnsafeApi.getLong(at + PATH_OFFSET);
                final int width = (int)path & PATH_WIDTH_MASK;
                // the path's bits and the slot below them from one window: a path spans at most 54 bits
                final long window = Key128.window(hi, lo, depth);
                final int onPath = onPathMask(window, path, width);
                final int slot = slot(window, width);
                final long vector = UnsafeApi.getLong(at + VECTOR_OFFSET);
                final long upTo = -1L >>> (63 - slot);
                if ((onPath & (int)(vector >>> slot) & 1) == 0)
                {
                    return leafIndex(at, upTo, onPath) & ~LEAF;
                }
                node = childIndex(at, vector, upTo);
                depth += width + STRIDE;
            }
        }
        finally
        {
            // the walk reads the nodes by address: the trie, which holds their memory, must outlive it
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Values of {@code count} IPv4 addresses walked together, level by level: every address still inside
     * the trie takes one node step per round, and the steps of one round do not depend on each other, so their
     * cache misses overlap instead of queueing behind one walk. A step has no data-dependent branch (the next node
     * or the leaf is chosen by a conditional move), so a walk that ends early does not flush the loads of the
     * others. An IPv4 trie has no paths, so every walk of a round is at the same depth.
     *
     * @param addresses network-order IPv4 addresses.
     * @param out       receives the value of each address (as {@link #lookup4}).
     * @param pending   scratch, at least {@code count} elements.
     */
    public void lookups4(final int[] addresses, final int[] out, final int count, final int[] pending)
    {
        requireFamily(4);
        try
        {
            final int[] direct = this.direct;
            final long nodes = this.nodesAddress;
            int walking = 0;
            for (int i = 0; i < count; i++)
            {
                final int entry = direct[addresses[i] >>> (32 - directBits)];
                out[i] = entry;
                pending[walking] = i;
                walking += ~entry >>> 31;
            }
            for (int shift = 32 - directBits - STRIDE; walking > 0; shift -= STRIDE)
            {
                int still = 0;
                for (int j = 0; j < walking; j++)
                {
                    final int i = pending[j];
                    final int next = step(nodeAt(nodes, out[i]), (addresses[i] >>> shift) & 63, ON_PATH);
                    out[i] = next & ~LEAF;
                    pending[still] = i;
                    still += ~next >>> 31;
                }
                walking = still;
            }
            valuesOf(out, count);
        }
        finally
        {
            // the walk reads the nodes by address: the trie, which holds their memory, must outlive it
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Values of {@code count} IPv6 addresses walked together, level by level, as {@link #lookups4} walks
     * IPv4 addresses: the steps of one round do not depend on each other and do not branch on the node they read,
     * so their cache misses overlap.
     *
     * @param keys      the addresses' halves, high then low: address {@code i} at {@code 2i} and {@code 2i + 1}.
     * @param out       receives the value of each address (as {@link #lookup6}).
     * @param pending   scratch, at least {@code count} elements.
     * @param positions scratch, at least {@code count} elements: each walk's depth.
     */
    public void lookups6(final long[] keys, final int[] out, final int count, final int[] pending,
        final int[] positions)
    {
        requireFamily(6);
        try
        {
            final int[] direct = this.direct;
            final long nodes = this.nodesAddress;
            int walking = 0;
            for (int i = 0; i < count; i++)
            {
                final int entry = direct[(int)(keys[2 * i] >>> (64 - directBits))];
                out[i] = entry;
                positions[i] = directBits;
                pending[walking] = i;
                walking += ~entry >>> 31;
            }
            while (walking > 0)
            {
                int still = 0;
                for (int j = 0; j < walking; j++)
                {
                    final int i = pending[j];
                    final long at = nodeAt(nodes, out[i]);
                    final int depth = positions[i];
                    final long path = UnsafeApi.getLong(at + PATH_OFFSET);
                    final int width = (int)path & PATH_WIDTH_MASK;
                    final long window = Key128.window(keys[2 * i], keys[2 * i + 1], depth);
                    final int next = step(at, slot(window, width), onPathMask(window, path, width));
                    positions[i] = depth + width + STRIDE;
                    out[i] = next & ~LEAF;
                    pending[still] = i;
                    still += ~next >>> 31;
                }
                walking = still;
            }
            valuesOf(out, count);
        }
        finally
        {
            // the walk reads the nodes by address: the trie, which holds their memory, must outlive it
            Reference.reachabilityFence(this);
        }
    }

    /**
     * One node's step: the child in slot {@code slot} (its node index) or, when the slot is a leaf or the address is
     * off the node's path ({@code onPath} 0), the leaf's index with {@link #LEAF} set. Every candidate is computed and
     * one chosen by masks, not conditionals: C2 compiles a conditional whose profile is one-sided (most addresses stay
     * on a path) as a branch, and in a batch walk each misprediction flushes the overlapping loads of the other walks.
     *
     * @param at     the node's address.
     * @param slot   the slot below the node's path, 0 to 63.
     * @param onPath all ones when the address is on the node's path (always, for a node without one), else 0.
     */
    private static int step(final long at, final int slot, final int onPath)
    {
        final long vector = UnsafeApi.getLong(at + VECTOR_OFFSET);
        final long upTo = -1L >>> (63 - slot);
        final int isChild = -(int)((vector >>> slot) & 1) & onPath;
        return childIndex(at, vector, upTo) & isChild | leafIndex(at, upTo, onPath) & ~isChild;
    }

    /**
     * Index of the child in the slot {@code upTo} ends at, if that slot is internal: the node's first child plus the
     * internal slots up to it, less one. (The parts of a step are separate methods so that each stays small enough
     * to be inlined where the executable's JVM flags inline only small methods.)
     */
    private static int childIndex(final long at, final long vector, final long upTo)
    {
        return (int)UnsafeApi.getLong(at + BASES_OFFSET) + Long.bitCount(vector & upTo) - 1;
    }

    /**
     * Index, with {@link #LEAF} set, of the leaf run holding the slot {@code upTo} ends at, or for an address off the
     * node's path ({@code onPath} 0) of the leaf just before the node's own.
     */
    private static int leafIndex(final long at, final long upTo, final int onPath)
    {
        final int runs = Long.bitCount(UnsafeApi.getLong(at + LEAF_VECTOR_OFFSET) & upTo) & onPath;
        return (int)(UnsafeApi.getLong(at + BASES_OFFSET) >>> 32) - 1 + runs | LEAF;
    }

    /** Address of node {@code node}'s first word. */
    private static long nodeAt(final long nodes, final int node)
    {
        return nodes + ((long)node << NODE_BYTES_SHIFT);
    }

    /** The slot below a node's path: the {@value #STRIDE} window bits after the path's {@code width}. */
    private static int slot(final long window, final int width)
    {
        return (int)((window << width) >>> (64 - STRIDE));
    }

    /**
     * All ones when the window's first {@code width} bits equal the node's path pattern, else 0. The two-step shift
     * compares nothing when the width is 0 (a one-step shift by 64 would compare the whole window), and drops the
     * width field, which lies below every pattern bit (a pattern spans at most 54 bits, from bit 63 down).
     */
    private static int onPathMask(final long window, final long path, final int width)
    {
        final long differing = ((window ^ path) >>> 1) >>> (63 - width);
        return (int)((differing - 1) >> 63);
    }

    /**
     * Turns what the walks of a batch left in {@code out} into values: a direct leaf (its flag still set) holds its
     * value, a walk ended on a leaf index; chosen without a branch, so the loads of the batch overlap.
     */
    private void valuesOf(final int[] out, final int count)
    {
        final int[] leaves = this.leaves;
        for (int i = 0; i < count; i++)
        {
            final int at = out[i];
            // all ones for a direct leaf, whose value is its own, and whose read of leaf 0 is discarded
            final int direct = at >> 31;
            final int walked = leaves[at & ~direct];
            out[i] = at & ~LEAF & direct | walked & ~direct;
        }
    }

    /** A walk of one family in a trie of the other would ignore (IPv4) or misread (IPv6) the nodes' paths. */
    private void requireFamily(final int expected)
    {
        if (family != expected)
        {
            throw new IllegalStateException("an IPv" + expected + " lookup in an IPv" + family + " trie");
        }
    }

    /** Value for a top-aligned key of either family. */
    public int lookup(final long hi, final long lo)
    {
        return lookup6(hi, lo);
    }

    public int nodeCount()
    {
        return nodeWords / NODE_WORDS;
    }

    public int leafCount()
    {
        return leaves.length;
    }

    /** Bytes the lookup structure occupies. */
    public long footprintBytes()
    {
        return direct.length * 4L + nodeWords * 8L + leaves.length * 4L;
    }

    private static final class Builder
    {
        private final IntervalMap map;
        private final int family;
        private final int directBits;
        private final int maxPathStrides;
        private final int[] direct;
        private long[] nodes = new long[NODE_WORDS * 64];
        private int nodeCount;
        private int[] leaves = new int[256];
        private int leafCount;

        Builder(final IntervalMap map, final int family, final int directBits)
        {
            this.map = map;
            this.family = family;
            this.directBits = directBits;
            this.maxPathStrides = maxPathStrides(family);
            this.direct = new int[1 << directBits];
        }

        Poptrie build()
        {
            final int childBits = 128 - directBits;
            int k = 0;
            for (int i = 0; i < direct.length; i++)
            {
                final long hi = (long)i << (64 - directBits);
                k = advance(k, hi, 0);
                if (covers(k, hi, 0, childBits))
                {
                    // a direct leaf holds its value itself: a lookup that ends in the array reads nothing more
                    final int value = map.value(k);
                    if (value < 0)
                    {
                        throw new IllegalArgumentException("value " + value + ": a poptrie holds values of 0 or more");
                    }
                    direct[i] = LEAF | value;
                }
                else
                {
                    final int node = allocateNodes(1);
                    fill(node, hi, 0, directBits, k);
                    direct[i] = node;
                }
            }
            // never empty: a batch reads leaf 0 for the addresses that ended in the direct array
            final int[] values = Arrays.copyOf(leaves, Math.max(1, leafCount));
            checkReferences();
            return new Poptrie(family, directBits, direct, Arrays.copyOf(nodes, nodeCount * NODE_WORDS), values);
        }

        /**
         * Checks that every node a direct entry or a node refers to lies inside the trie and below the node (so every
         * walk ends), and every path fits its window: the walks read the nodes off-heap, without bounds checks, so this
         * is where a defect of the builder is caught instead of read past the trie's memory.
         */
        private void checkReferences()
        {
            for (final int entry : direct)
            {
                if (entry >= 0 && entry >= nodeCount)
                {
                    throw new IllegalStateException("direct entry refers to node " + entry + " of " + nodeCount);
                }
            }
            for (int node = 0; node < nodeCount; node++)
            {
                final int at = node << NODE_SHIFT;
                final long children = nodes[at + 2] & 0xFFFF_FFFFL;
                final int width = (int)nodes[at + 3] & PATH_WIDTH_MASK;
                final boolean hasChildren = nodes[at] != 0;
                if (children + Long.bitCount(nodes[at]) > nodeCount || hasChildren && children <= node ||
                    width % STRIDE != 0 || width > maxPathStrides * STRIDE)
                {
                    throw new IllegalStateException("node " + node + " refers past the trie's " + nodeCount +
                        " nodes or back up the trie, or has a path of " + width + " bits");
                }
            }
        }

        private void fill(final int node, final long hi, final long lo, final int depth, final int startIndex)
        {
            fill(node, scan(new Level(hi, lo, depth, startIndex)));
        }

        /** Writes node {@code node} for a scanned block, and the nodes below it. */
        private void fill(final int node, final Level level)
        {
            // a run of one-child blocks with one leaf value becomes the path of the node below it, as far as one
            // pattern can hold it; an address off the path takes that value, the leaf just before the node's own
            long pattern = 0;
            int strides = 0;
            Level step = level;
            if (maxPathStrides > 0 && level.isRun())
            {
                final int offPath = level.leafValues[0];
                while (strides < maxPathStrides && step.isRun() && step.leafValues[0] == offPath)
                {
                    pattern = pattern << STRIDE | step.onlyChild();
                    strides++;
                    step = scan(step.child(step.onlyChild()));
                }
                appendLeaf(offPath);
            }
            final int base0 = leafCount;
            for (int r = 0; r < step.runs; r++)
            {
                appendLeaf(step.leafValues[r]);
            }
            final int base1 = allocateNodes(Long.bitCount(step.vector));
            final int at = node << NODE_SHIFT;
            nodes[at] = step.vector;
            nodes[at + 1] = step.leafVector;
            nodes[at + 2] = ((long)base0 << 32) | (base1 & 0xFFFF_FFFFL);
            final int width = strides * STRIDE;
            nodes[at + 3] = (width == 0 ? 0 : pattern << (64 - width)) | width;
            int child = base1;
            for (int i = 0; i < 64; i++)
            {
                if (((step.vector >>> i) & 1) != 0)
                {
                    fill(child++, scan(step.child(i)));
                }
            }
        }

        /** Scans the 64 slots of a block: which are internal, and the runs of leaf values. Returns the block. */
        private Level scan(final Level level)
        {
            final long hi = level.hi;
            final long lo = level.lo;
            final int childBits = 128 - level.depth - STRIDE;
            int k = level.startIndex;
            for (int i = 0; i < 64; i++)
            {
                final long cHi;
                final long cLo;
                if (childBits >= 64)
                {
                    cHi = hi | ((long)i << (childBits - 64));
                    cLo = lo;
                }
                else
                {
                    cHi = hi | (childBits > 58 ? (long)i >>> (64 - childBits) : 0);
                    cLo = lo | ((long)i << childBits);
                }
                k = advance(k, cHi, cLo);
                if (covers(k, cHi, cLo, childBits))
                {
                    final int value = map.value(k);
                    if (level.runs == 0 || value != level.leafValues[level.runs - 1])
                    {
                        level.leafVector |= 1L << i;
                        level.leafValues[level.runs++] = value;
                    }
                }
                else
                {
                    level.vector |= 1L << i;
                    level.childHi[i] = cHi;
                    level.childLo[i] = cLo;
                    level.childIndex[i] = k;
                }
            }
            return level;
        }

        /** One block of the trie while it is built: where it is, and what {@link #scan} found in its slots. */
        private static final class Level
        {
            final long hi;
            final long lo;
            final int depth;
            final int startIndex;
            long vector;
            long leafVector;
            final int[] leafValues = new int[64];
            int runs;
            final long[] childHi = new long[64];
            final long[] childLo = new long[64];
            final int[] childIndex = new int[64];

            Level(final long hi, final long lo, final int depth, final int startIndex)
            {
                this.hi = hi;
                this.lo = lo;
                this.depth = depth;
                this.startIndex = startIndex;
            }

            /** One internal slot and one leaf value everywhere else: a level of a run that a path can span. */
            boolean isRun()
            {
                return Long.bitCount(vector) == 1 && runs == 1;
            }

            int onlyChild()
            {
                return Long.numberOfTrailingZeros(vector);
            }

            /** The block of internal slot {@code i}, not scanned yet. */
            Level child(final int i)
            {
                return new Level(childHi[i], childLo[i], depth + STRIDE, childIndex[i]);
            }
        }

        private int advance(final int from, final long hi, final long lo)
        {
            int k = from;
            while (k + 1 < map.size() && Key128.compare(map.startHi(k + 1), map.startLo(k + 1), hi, lo) <= 0)
            {
                k++;
            }
            return k;
        }

        /** Whether interval k, which holds the aligned block start, also holds the block's last key. */
        private boolean covers(final int k, final long hi, final long lo, final int bits)
        {
            if (k + 1 >= map.size())
            {
                return true;
            }
            final long endHi = hi | (bits >= 64 ? (bits >= 128 ? -1L : (1L << (bits - 64)) - 1) : 0);
            final long endLo = lo | (bits >= 64 ? -1L : (1L << bits) - 1);
            return Key128.compare(map.startHi(k + 1), map.startLo(k + 1), endHi, endLo) > 0;
        }

        private int allocateNodes(final int count)
        {
            final int first = nodeCount;
            nodeCount += count;
            if (nodeCount * NODE_WORDS > nodes.length)
            {
                nodes = Arrays.copyOf(nodes, Math.max(nodes.length * 2, nodeCount * NODE_WORDS));
            }
            return first;
        }

        private void appendLeaf(final int value)
        {
            if (leafCount == leaves.length)
            {
                leaves = Arrays.copyOf(leaves, leafCount * 2);
            }
            leaves[leafCount++] = value;
        }
    }
}
