package dev.phasegrad.invert;

/**
 * Binary max-heap of node indices ordered by a caller-owned key array (magnitudes), as used by the
 * PGHI family to integrate phase from the largest coefficients outwards. Capacity is fixed at
 * construction; each node may be inserted at most once between clears, so capacity = node count
 * suffices. Allocation-free after construction; not thread safe.
 */
final class IndexMaxHeap {
    private final int[] heap;
    private float[] keys;
    private int size;

    IndexMaxHeap(int capacity) {
        heap = new int[capacity];
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
            if (keys[heap[parent]] >= key) {
                break;
            }
            heap[pos] = heap[parent];
            pos = parent;
        }
        heap[pos] = node;
    }

    /** Removes and returns the node with the largest key. */
    int pop() {
        int top = heap[0];
        int last = heap[--size];
        if (size > 0) {
            float key = keys[last];
            int pos = 0;
            while (true) {
                int child = 2 * pos + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && keys[heap[child + 1]] > keys[heap[child]]) {
                    child++;
                }
                if (keys[heap[child]] <= key) {
                    break;
                }
                heap[pos] = heap[child];
                pos = child;
            }
            heap[pos] = last;
        }
        return top;
    }
}
