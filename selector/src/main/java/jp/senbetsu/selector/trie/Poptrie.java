package jp.senbetsu.selector.trie;

import java.util.Arrays;

/**
 * Longest-prefix lookup structure after Asai and Ohara's poptrie (SIGCOMM 2015): a 14-bit (or 20-bit)
 * direct-pointing array followed by 64-ary nodes whose children are found by population count, so a lookup touches
 * at most 1 + 3 (IPv4) or 1 + 19 (IPv6) small nodes whatever the number of prefixes, and never allocates.
 *
 * <p>It maps every address of one family to the int value of the {@link IntervalMap} interval holding it. Node
 * layout, three longs per node in {@code nodes}:
 * <pre>
 *   word 0  vector   bit i set: slot i is an internal child
 *   word 1  leafvec  bit i set: leaf slot i starts a new run of equal leaf values
 *   word 2  base0 (high 32 bits): index of the node's first leaf in {@code leaves}
 *           base1 (low 32 bits):  index of the node's first internal child in {@code nodes}
 * </pre>
 * A run of nodes that each have one internal child and one leaf value for all their other slots (a prefix alone
 * in its part of the space, as sparse IPv6 rules are) is stored as one <em>skip node</em> of 2 to
 * {@value #MAX_SKIP_STRIDES} strides:
 * <pre>
 *   word 0  pattern  the address bits those strides must hold, right-aligned
 *   word 1  width    how many address bits the pattern holds (six per stride spanned)
 *   word 2  {@link #SKIP} | leaf (bits 32..62): the leaf of an address that differs anywhere in the pattern
 *           child (low 32 bits): the node below the run
 * </pre>
 * so a walk down such a prefix compares its bits in one step instead of taking one node per stride. When the node
 * below the run has only leaves (the run ends where the prefix does, as a lone prefix's run does), it is folded into
 * the skip node, a <em>terminal skip node</em>, so the walk ends there, one dependent load sooner:
 * <pre>
 *   word 0  pattern (bits 0..59) | the number of strides it spans (bits 60..63, 2 to {@value #MAX_SKIP_STRIDES})
 *   word 1  leafvec of the folded node: its leaves, one stride below the pattern
 *   word 2  {@link #SKIP} | leaf (bits 32..62) of an address that differs in the pattern
 *           base0 (low 32 bits): index of the folded node's first leaf
 * </pre>
 * An ordinary skip node's pattern leaves bits 60..63 zero, which is how the two are told apart.
 * A direct entry with the sign bit set is a leaf index (low 31 bits); otherwise it is a node index. Leaves hold
 * int values; a trie may also carry a fixed-size long payload per leaf ({@link #payload()}), so a caller that
 * needs more than an int per address reads it from the same place the lookup ended instead of following one more
 * pointer. Instances are immutable once built and safe to share between threads.
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
    private static final int NODE_WORDS = 3;
    /**
     * Marks word 2 of a skip node. It is {@link #LEAF} in the word's high half, so that half read as an int is the
     * mismatch leaf already flagged as a leaf.
     */
    private static final long SKIP = (long)LEAF << 32;
    /** Most strides one skip node spans: its pattern fits in a long. */
    static final int MAX_SKIP_STRIDES = 10;
    /** Word 0 of a terminal skip node: where its stride count starts; the pattern lies below. */
    private static final int TERMINAL_STRIDES_SHIFT = 60;
    private static final long PATTERN_MASK = (1L << TERMINAL_STRIDES_SHIFT) - 1;

    private final int directBits;
    private final int[] direct;
    private final long[] nodes;
    private final int[] leaves;
    private final long[] payload;

    private Poptrie(final int directBits, final int[] direct, final long[] nodes, final int[] leaves,
        final long[] payload)
    {
        this.directBits = directBits;
        this.direct = direct;
        this.nodes = nodes;
        this.leaves = leaves;
        this.payload = payload;
    }

    /** Builds the trie answering, for every key, the value of the interval that holds it. */
    public static Poptrie build(final IntervalMap map)
    {
        return new Builder(map, DIRECT_BITS).build(null, 0);
    }

    /**
     * Builds the trie with a payload per leaf and a direct-pointing array of {@code directBits} bits: leaf {@code i}
     * carries {@code payloadByValue[value * stride .. value * stride + stride - 1]}, found at
     * {@code payload()[leafIndex * stride]} (no payload: null and 0). {@code directBits} is {@link #DIRECT_BITS} or
     * {@link #WIDE_DIRECT_BITS} (IPv4 walks need {@code 32 - directBits} to be a whole number of strides).
     */
    public static Poptrie build(final IntervalMap map, final long[] payloadByValue, final int stride,
        final int directBits)
    {
        if (directBits != DIRECT_BITS && directBits != WIDE_DIRECT_BITS)
        {
            throw new IllegalArgumentException("direct-pointing bits " + directBits + ": " + DIRECT_BITS + " or " +
                WIDE_DIRECT_BITS);
        }
        return new Builder(map, directBits).build(payloadByValue, stride);
    }

    /** Per-leaf payload, {@code stride} longs per leaf; null if built without one. */
    public long[] payload()
    {
        return payload;
    }

    /** Value for an IPv4 address given as the int read in network order. */
    public int lookup4(final int address)
    {
        return leaves[leafIndex4(address)];
    }

    /** Value for an IPv6 address given as its two network-order halves. */
    public int lookup6(final long hi, final long lo)
    {
        return leaves[leafIndex6(hi, lo)];
    }

    /** Index of the leaf holding an IPv4 address (payload at {@code leafIndex * stride}). */
    public int leafIndex4(final int address)
    {
        final int entry = direct[address >>> (32 - directBits)];
        if (entry < 0)
        {
            return entry & ~LEAF;
        }
        final long[] nodes = this.nodes;
        int node = entry;
        int shift = 32 - directBits - STRIDE;
        while (true)
        {
            final int base = node * NODE_WORDS;
            final long bases = nodes[base + 2];
            if (bases < 0)
            {
                final long word0 = nodes[base];
                final int strides = (int)(word0 >>> TERMINAL_STRIDES_SHIFT);
                final int width = strides != 0 ? strides * STRIDE : (int)nodes[base + 1];
                if (bits4(address, shift, width) != (word0 & PATTERN_MASK))
                {
                    return (int)(bases >>> 32) & ~LEAF;
                }
                shift -= width;
                if (strides != 0)
                {
                    return (int)bases + Long.bitCount(nodes[base + 1] & -1L >>> (63 - ((address >>> shift) & 63))) - 1;
                }
                node = (int)bases;
                continue;
            }
            final int slot = (address >>> shift) & 63;
            final long vector = nodes[base];
            final long upTo = -1L >>> (63 - slot);
            if (((vector >>> slot) & 1) != 0)
            {
                node = (int)bases + Long.bitCount(vector & upTo) - 1;
                shift -= STRIDE;
            }
            else
            {
                return (int)(bases >>> 32) + Long.bitCount(nodes[base + 1] & upTo) - 1;
            }
        }
    }

    /** Index of the leaf holding an IPv6 address. */
    public int leafIndex6(final long hi, final long lo)
    {
        final int entry = direct[(int)(hi >>> (64 - directBits))];
        if (entry < 0)
        {
            return entry & ~LEAF;
        }
        final long[] nodes = this.nodes;
        int node = entry;
        int depth = directBits;
        while (true)
        {
            final int base = node * NODE_WORDS;
            final long bases = nodes[base + 2];
            if (bases < 0)
            {
                final long word0 = nodes[base];
                final int strides = (int)(word0 >>> TERMINAL_STRIDES_SHIFT);
                final int width = strides != 0 ? strides * STRIDE : (int)nodes[base + 1];
                if (Key128.bits(hi, lo, depth, width) != (word0 & PATTERN_MASK))
                {
                    return (int)(bases >>> 32) & ~LEAF;
                }
                depth += width;
                if (strides != 0)
                {
                    return (int)bases + Long.bitCount(nodes[base + 1] & -1L >>> (63 - Key128.stride6(hi, lo, depth)))
                        - 1;
                }
                node = (int)bases;
                continue;
            }
            final int slot = Key128.stride6(hi, lo, depth);
            final long vector = nodes[base];
            final long upTo = -1L >>> (63 - slot);
            if (((vector >>> slot) & 1) != 0)
            {
                node = (int)bases + Long.bitCount(vector & upTo) - 1;
                depth += STRIDE;
            }
            else
            {
                return (int)(bases >>> 32) + Long.bitCount(nodes[base + 1] & upTo) - 1;
            }
        }
    }

    /**
     * One step of a batch of walks at an ordinary node: the child in slot {@code slot} (its node index) or, when
     * the slot is a leaf, the leaf's index with {@link #LEAF} set. Both are computed and one chosen without a
     * branch on the node's contents, so a walk that ends does not flush the loads of the others. (The lone walks,
     * {@link #leafIndex4} and {@link #leafIndex6}, keep loops of their own that branch: on this step, or on a
     * branching copy of it, IPv6 classification measured 8-10 % slower.)
     */
    private static int step(final long[] nodes, final int node, final int slot)
    {
        final int base = node * NODE_WORDS;
        final long vector = nodes[base];
        final long upTo = -1L >>> (63 - slot);
        final long bases = nodes[base + 2];
        final int child = (int)bases + Long.bitCount(vector & upTo) - 1;
        final int leaf = (int)(bases >>> 32) + Long.bitCount(nodes[base + 1] & upTo) - 1;
        return ((vector >>> slot) & 1) != 0 ? child : leaf | LEAF;
    }

    /**
     * One step of a batch of walks at a skip node, given the address's bits for all its strides and the slot one
     * stride below them: the node below the run if they hold its pattern, or at a terminal skip node the leaf
     * of that slot ({@link #LEAF} set); else the mismatch leaf (word 2's high half, {@link #LEAF} included).
     */
    private static int skip(final long[] nodes, final int base, final long bits, final int strides, final int slot)
    {
        final long bases = nodes[base + 2];
        if (bits != (nodes[base] & PATTERN_MASK))
        {
            return (int)(bases >>> 32);
        }
        return strides == 0 ? (int)bases
            : ((int)bases + Long.bitCount(nodes[base + 1] & -1L >>> (63 - slot)) - 1) | LEAF;
    }

    /** {@code width} bits of an IPv4 address from the stride at {@code shift} (as a walk's slot shift) down. */
    private static long bits4(final int address, final int shift, final int width)
    {
        return ((address & 0xFFFF_FFFFL) >>> (shift + STRIDE - width)) & ((1L << width) - 1);
    }

    /**
     * Leaf indices of {@code count} IPv4 addresses walked together, level by level: every address still inside
     * the trie takes one node step per round, and the steps of one round do not depend on each other, so their
     * cache misses overlap instead of queueing behind one walk. An ordinary node's step has no data-dependent
     * branch (the next node or the leaf is chosen by a conditional move), so a walk that ends early does not flush
     * the loads of the others; only a skip node takes a path of its own (measured at least as fast as choosing
     * between both without a branch). A skip node advances a walk by several strides at once, so each address
     * keeps its own position.
     *
     * @param addresses network-order IPv4 addresses.
     * @param out       receives the leaf index of each address (as {@link #leafIndex4}).
     * @param pending   scratch, at least {@code count} elements.
     * @param positions scratch, at least {@code count} elements: each walk's position.
     */
    public void leafIndices4(final int[] addresses, final int[] out, final int count, final int[] pending,
        final int[] positions)
    {
        final int[] direct = this.direct;
        final long[] nodes = this.nodes;
        int walking = 0;
        for (int i = 0; i < count; i++)
        {
            final int entry = direct[addresses[i] >>> (32 - directBits)];
            out[i] = entry & ~LEAF;
            positions[i] = 32 - directBits - STRIDE;
            pending[walking] = i;
            walking += ~entry >>> 31;
        }
        while (walking > 0)
        {
            int still = 0;
            for (int j = 0; j < walking; j++)
            {
                final int i = pending[j];
                final int base = out[i] * NODE_WORDS;
                final int shift = positions[i];
                final int next;
                if (nodes[base + 2] < 0)
                {
                    final int strides = (int)(nodes[base] >>> TERMINAL_STRIDES_SHIFT);
                    final int width = strides != 0 ? strides * STRIDE : (int)nodes[base + 1];
                    next = skip(nodes, base, bits4(addresses[i], shift, width), strides,
                        (addresses[i] >>> (shift - width)) & 63);
                    positions[i] = shift - width;
                }
                else
                {
                    next = step(nodes, out[i], (addresses[i] >>> shift) & 63);
                    positions[i] = shift - STRIDE;
                }
                out[i] = next & ~LEAF;
                pending[still] = i;
                still += ~next >>> 31;
            }
            walking = still;
        }
    }

    /** Value for a top-aligned key of either family. */
    public int lookup(final long hi, final long lo)
    {
        return lookup6(hi, lo);
    }

    public int nodeCount()
    {
        return nodes.length / NODE_WORDS;
    }

    public int leafCount()
    {
        return leaves.length;
    }

    /** Bytes the lookup structure occupies. */
    public long footprintBytes()
    {
        return direct.length * 4L + nodes.length * 8L + leaves.length * 4L +
            (payload == null ? 0 : payload.length * 8L);
    }

    private static final class Builder
    {
        private final IntervalMap map;
        private final int directBits;
        private final int[] direct;
        private long[] nodes = new long[NODE_WORDS * 64];
        private int nodeCount;
        private int[] leaves = new int[256];
        private int leafCount;
        private int lastDirectLeaf = -1;

        Builder(final IntervalMap map, final int directBits)
        {
            this.map = map;
            this.directBits = directBits;
            this.direct = new int[1 << directBits];
        }

        Poptrie build(final long[] payloadByValue, final int stride)
        {
            final int childBits = 128 - directBits;
            int k = 0;
            for (int i = 0; i < direct.length; i++)
            {
                final long hi = (long)i << (64 - directBits);
                k = advance(k, hi, 0);
                if (covers(k, hi, 0, childBits))
                {
                    // consecutive direct leaves of one value share a leaf
                    final int value = map.value(k);
                    if (leafCount == 0 || lastDirectLeaf < 0 || leaves[lastDirectLeaf] != value ||
                        lastDirectLeaf != leafCount - 1)
                    {
                        appendLeaf(value);
                        lastDirectLeaf = leafCount - 1;
                    }
                    direct[i] = LEAF | lastDirectLeaf;
                }
                else
                {
                    final int node = allocateNodes(1);
                    fill(node, hi, 0, directBits, k);
                    direct[i] = node;
                }
            }
            final int[] values = Arrays.copyOf(leaves, leafCount);
            long[] payload = null;
            if (payloadByValue != null)
            {
                payload = new long[leafCount * stride];
                for (int i = 0; i < leafCount; i++)
                {
                    System.arraycopy(payloadByValue, values[i] * stride, payload, i * stride, stride);
                }
            }
            return new Poptrie(directBits, direct, Arrays.copyOf(nodes, nodeCount * NODE_WORDS), values, payload);
        }

        private void fill(final int node, final long hi, final long lo, final int depth, final int startIndex)
        {
            fill(node, scan(new Level(hi, lo, depth, startIndex)));
        }

        /** Writes node {@code node} for a scanned block, and the nodes below it. */
        private void fill(final int node, final Level level)
        {
            Level onlyChild = null;
            if (level.isRun())
            {
                // follow the run of one-child blocks with the same leaf value as far as one pattern can hold it
                long pattern = level.onlyChild();
                int strides = 1;
                Level below = scan(level.child(level.onlyChild()));
                while (strides < MAX_SKIP_STRIDES && below.isRun() && below.leafValues[0] == level.leafValues[0])
                {
                    pattern = pattern << STRIDE | below.onlyChild();
                    strides++;
                    below = scan(below.child(below.onlyChild()));
                }
                if (strides > 1)
                {
                    final int leaf = leafCount;
                    appendLeaf(level.leafValues[0]);
                    if (below.vector == 0)
                    {
                        // the run ends in a node of leaves only: fold it in (a terminal skip node)
                        final int base0 = leafCount;
                        for (int r = 0; r < below.runs; r++)
                        {
                            appendLeaf(below.leafValues[r]);
                        }
                        nodes[node * NODE_WORDS] = pattern | (long)strides << TERMINAL_STRIDES_SHIFT;
                        nodes[node * NODE_WORDS + 1] = below.leafVector;
                        nodes[node * NODE_WORDS + 2] = SKIP | (long)leaf << 32 | (base0 & 0xFFFF_FFFFL);
                        return;
                    }
                    final int child = allocateNodes(1);
                    nodes[node * NODE_WORDS] = pattern;
                    nodes[node * NODE_WORDS + 1] = strides * STRIDE;
                    nodes[node * NODE_WORDS + 2] = SKIP | (long)leaf << 32 | (child & 0xFFFF_FFFFL);
                    fill(child, below);
                    return;
                }
                onlyChild = below;
            }
            final int base0 = leafCount;
            for (int r = 0; r < level.runs; r++)
            {
                appendLeaf(level.leafValues[r]);
            }
            final int base1 = allocateNodes(Long.bitCount(level.vector));
            nodes[node * NODE_WORDS] = level.vector;
            nodes[node * NODE_WORDS + 1] = level.leafVector;
            nodes[node * NODE_WORDS + 2] = ((long)base0 << 32) | (base1 & 0xFFFF_FFFFL);
            int child = base1;
            for (int i = 0; i < 64; i++)
            {
                if (((level.vector >>> i) & 1) != 0)
                {
                    fill(child++, onlyChild != null ? onlyChild : scan(level.child(i)));
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

            /** One internal slot and one leaf value everywhere else: a step of a run a skip node can span. */
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
