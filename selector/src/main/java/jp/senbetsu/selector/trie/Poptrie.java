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
            final int slot = (address >>> shift) & 63;
            final int base = node * NODE_WORDS;
            final long vector = nodes[base];
            final long upTo = -1L >>> (63 - slot);
            final long bases = nodes[base + 2];
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
            final int slot = Key128.stride6(hi, lo, depth);
            final int base = node * NODE_WORDS;
            final long vector = nodes[base];
            final long upTo = -1L >>> (63 - slot);
            final long bases = nodes[base + 2];
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
     * One node step of a batch of walks: from node {@code node}, the child in slot {@code slot} (its node index)
     * or, when the slot is a leaf, the leaf's index with {@link #LEAF} set. Both are computed and one chosen
     * without a branch on the node's contents, so a walk that ends does not flush the loads of the others. (The
     * lone walks, {@link #leafIndex4} and {@link #leafIndex6}, keep loops of their own that branch: on this step,
     * or on a branching copy of it, IPv6 classification measured 8-10 % slower.)
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
     * Leaf indices of {@code count} IPv4 addresses walked together, level by level: every address still inside
     * the trie takes one node step per round, and the steps of one round do not depend on each other, so their
     * cache misses overlap instead of queueing behind one walk. A round has no data-dependent branch (the next
     * node or the leaf is chosen by a conditional move), so a walk that ends early does not flush the loads of the
     * others.
     *
     * @param addresses network-order IPv4 addresses.
     * @param out       receives the leaf index of each address (as {@link #leafIndex4}).
     * @param pending   scratch, at least {@code count} long.
     */
    public void leafIndices4(final int[] addresses, final int[] out, final int count, final int[] pending)
    {
        final int[] direct = this.direct;
        final long[] nodes = this.nodes;
        int walking = 0;
        for (int i = 0; i < count; i++)
        {
            final int entry = direct[addresses[i] >>> (32 - directBits)];
            out[i] = entry & ~LEAF;
            pending[walking] = i;
            walking += ~entry >>> 31;
        }
        int shift = 32 - directBits - STRIDE;
        while (walking > 0)
        {
            int still = 0;
            for (int j = 0; j < walking; j++)
            {
                final int i = pending[j];
                final int next = step(nodes, out[i], (addresses[i] >>> shift) & 63);
                out[i] = next & ~LEAF;
                pending[still] = i;
                still += ~next >>> 31;
            }
            walking = still;
            shift -= STRIDE;
        }
    }

    /** {@link #leafIndices4} for IPv6 addresses given as their network-order halves. */
    public void leafIndices6(final long[] his, final long[] los, final int[] out, final int count,
        final int[] pending)
    {
        final int[] direct = this.direct;
        final long[] nodes = this.nodes;
        int walking = 0;
        for (int i = 0; i < count; i++)
        {
            final int entry = direct[(int)(his[i] >>> (64 - directBits))];
            out[i] = entry & ~LEAF;
            pending[walking] = i;
            walking += ~entry >>> 31;
        }
        int depth = directBits;
        while (walking > 0)
        {
            int still = 0;
            for (int j = 0; j < walking; j++)
            {
                final int i = pending[j];
                final int next = step(nodes, out[i], Key128.stride6(his[i], los[i], depth));
                out[i] = next & ~LEAF;
                pending[still] = i;
                still += ~next >>> 31;
            }
            walking = still;
            depth += STRIDE;
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
            final int childBits = 128 - depth - STRIDE;
            final long[] childHi = new long[64];
            final long[] childLo = new long[64];
            final int[] childIndex = new int[64];
            long vector = 0;
            long leafVector = 0;
            final int base0 = leafCount;
            int k = startIndex;
            boolean anyLeaf = false;
            int previousLeaf = 0;
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
                    if (!anyLeaf || value != previousLeaf)
                    {
                        leafVector |= 1L << i;
                        appendLeaf(value);
                        anyLeaf = true;
                        previousLeaf = value;
                    }
                }
                else
                {
                    vector |= 1L << i;
                    childHi[i] = cHi;
                    childLo[i] = cLo;
                    childIndex[i] = k;
                }
            }
            final int base1 = allocateNodes(Long.bitCount(vector));
            nodes[node * NODE_WORDS] = vector;
            nodes[node * NODE_WORDS + 1] = leafVector;
            nodes[node * NODE_WORDS + 2] = ((long)base0 << 32) | (base1 & 0xFFFF_FFFFL);
            int child = base1;
            for (int i = 0; i < 64; i++)
            {
                if (((vector >>> i) & 1) != 0)
                {
                    fill(child++, childHi[i], childLo[i], depth + STRIDE, childIndex[i]);
                }
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
