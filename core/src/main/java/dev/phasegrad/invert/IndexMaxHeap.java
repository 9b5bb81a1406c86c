package dev.phasegrad.invert;

/**
 * Binary max-heap of node indices ordered by a caller-owned key array (magnitudes), as used by the
 * PGHI family to integrate phase from the largest coefficients outwards. Capacity is fixed at
 * construction; each node may be inserted at most once between clears, so capacity = node count
 * suffices. Allocation-free after construction; not thread safe.
 *
 * <p>Each entry is one {@code long}: the key's float bits (order-preserving for keys ≥ 0) above the
 * complement of the node index. Sifting then moves one array and compares one primitive, and equal
 * keys pop lowest node first, so the pop order is a function of the keys alone, not of the heap's
 * history (which makes {@link #addUnordered} + {@link #heapify} interchangeable with inserts).
 * {@link #pop} sifts the hole down to a leaf along the larger child, then the last entry up
 * (Floyd): one data-dependent branch less per level, and the costly mispredictions of a heap are
 * exactly those branches. Keys must be ≥ 0 (−0 counts as 0), nodes in [0, 2³¹ − 1).
 */
final class IndexMaxHeap {
    private final long[] entries;
    private float[] keys;
    private int size;

    IndexMaxHeap(int capacity) {
        entries = new long[capacity];
    }

    /** Empties the heap and orders it by {@code keys[node]} from now on. */
    void clear(float[] keys) {
        this.keys = keys;
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private long entry(int node) {
        // + 0f turns −0 into +0, whose bits sort with the positive keys
        long bits = Float.floatToRawIntBits(keys[node] + 0f);
        return bits << 32 | (Integer.MAX_VALUE - node);
    }

    private static int node(long entry) {
        return Integer.MAX_VALUE - (int) entry;
    }

    void insert(int node) {
        long e = entry(node);
        int pos = size++;
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            long p = entries[parent];
            if (p > e) {
                break;
            }
            entries[pos] = p;
            pos = parent;
        }
        entries[pos] = e;
    }

    /** Appends a node without ordering; call {@link #heapify} before the next pop or insert. */
    void addUnordered(int node) {
        entries[size++] = entry(node);
    }

    /** Restores heap order after {@link #addUnordered} calls, in O(size). */
    void heapify() {
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            long e = entries[i];
            int pos = i;
            while (true) {
                int child = 2 * pos + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && entries[child + 1] > entries[child]) {
                    child++;
                }
                if (entries[child] < e) {
                    break;
                }
                entries[pos] = entries[child];
                pos = child;
            }
            entries[pos] = e;
        }
    }

    /** Removes and returns the node with the largest key. */
    int pop() {
        long top = entries[0];
        int n = --size;
        if (n > 0) {
            long last = entries[n];
            // hole from the root down to a leaf along the larger child
            int pos = 0;
            int child = 1;
            while (child + 1 < n) {
                long a = entries[child];
                long b = entries[child + 1];
                int bigger = b > a ? child + 1 : child;
                entries[pos] = b > a ? b : a;
                pos = bigger;
                child = 2 * pos + 1;
            }
            if (child < n) {
                entries[pos] = entries[child];
                pos = child;
            }
            // then the last entry up from that leaf: usually a step or two, it is small
            while (pos > 0) {
                int parent = (pos - 1) >>> 1;
                long p = entries[parent];
                if (p > last) {
                    break;
                }
                entries[pos] = p;
                pos = parent;
            }
            entries[pos] = last;
        }
        return node(top);
    }
}
