package dev.phasegrad.invert;

/**
 * Binary max-heap of node indices ordered by a caller-owned key array (magnitudes), as used by the
 * PGHI family to integrate phase from the largest coefficients outwards. Keys are copied into the
 * heap on insertion so sifting touches two dense arrays only. Capacity is fixed at construction; each
 * node may be inserted at most once between clears, so capacity = node count suffices.
 * Allocation-free after construction; not thread safe.
 */
final class IndexMaxHeap {
    private final int[] nodes;
    private final float[] heapKeys;
    private float[] keys;
    private int size;

    IndexMaxHeap(int capacity) {
        nodes = new int[capacity];
        heapKeys = new float[capacity];
    }

    /** Empties the heap and orders it by {@code keys[node]} from now on. */
    void clear(float[] keys) {
        this.keys = keys;
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void insert(int node) {
        int pos = size++;
        float key = keys[node];
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (heapKeys[parent] >= key) {
                break;
            }
            nodes[pos] = nodes[parent];
            heapKeys[pos] = heapKeys[parent];
            pos = parent;
        }
        nodes[pos] = node;
        heapKeys[pos] = key;
    }

    /** Removes and returns the node with the largest key. */
    int pop() {
        int top = nodes[0];
        int n = --size;
        if (n > 0) {
            int last = nodes[n];
            float key = heapKeys[n];
            int pos = 0;
            while (true) {
                int child = 2 * pos + 1;
                if (child >= n) {
                    break;
                }
                if (child + 1 < n && heapKeys[child + 1] > heapKeys[child]) {
                    child++;
                }
                if (heapKeys[child] <= key) {
                    break;
                }
                nodes[pos] = nodes[child];
                heapKeys[pos] = heapKeys[child];
                pos = child;
            }
            nodes[pos] = last;
            heapKeys[pos] = key;
        }
        return top;
    }
}
