package dev.phasegrad.invert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IndexMaxHeapTest {
    /** Largest key first, equal keys lowest node first: the documented, history-free order. */
    private static Comparator<Integer> order(float[] keys) {
        return (a, b) -> keys[a] != keys[b] ? Float.compare(keys[b], keys[a]) : Integer.compare(a, b);
    }

    @Test
    void popsInKeyOrderWithTiesByNodeWhateverTheInsertionHistory() {
        SplittableRandom r = new SplittableRandom(3);
        for (int rep = 0; rep < 200; rep++) {
            int n = 1 + r.nextInt(300);
            float[] keys = new float[n];
            for (int i = 0; i < n; i++) {
                // few distinct values, zeros and negative zeros included, so ties are common
                int v = r.nextInt(6);
                keys[i] = v == 0 ? (r.nextBoolean() ? 0f : -0f) : v * 0.25f;
            }
            IndexMaxHeap heap = new IndexMaxHeap(n);
            heap.clear(keys);
            List<Integer> pending = new ArrayList<>();
            int half = n / 2;
            for (int i = 0; i < half; i++) {
                heap.addUnordered(i);
                pending.add(i);
            }
            heap.heapify();
            int next = half;
            List<Integer> popped = new ArrayList<>();
            // interleave pops with inserts of the remaining nodes, checking each pop against a sort
            while (!heap.isEmpty() || next < n) {
                if (next < n && (heap.isEmpty() || r.nextBoolean())) {
                    heap.insert(next);
                    pending.add(next++);
                    continue;
                }
                pending.sort(order(keys));
                int expected = pending.remove(0);
                int got = heap.pop();
                assertThat(got).as("rep %d after %s", rep, popped).isEqualTo(expected);
                popped.add(got);
            }
            assertThat(popped).hasSize(n);
        }
    }
}
