package dev.phasegrad.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SolverBenchTest {

    @Test
    void smallRunProducesOneCheckedRowPerSize() {
        List<SolverBench.Row> rows = SolverBench.run(new int[] {17, 33}, 0.01, null);
        assertThat(rows).extracting(SolverBench.Row::n).containsExactly(17, 33);
        for (SolverBench.Row r : rows) {
            assertThat(r.tridiagonalMicros()).isPositive();
            assertThat(r.denseMicros()).isPositive();
            assertThat(r.cgIterations()).isPositive();
            assertThat(r.triVsDense()).isLessThan(1e-10);
            assertThat(r.cgVsDense()).isLessThan(1e-8);
        }
        String table = SolverBench.table(rows);
        assertThat(table.lines()).hasSize(3);
        assertThat(table).contains("dense/tri");
    }

    @Test
    void sizesWithoutAMatchingStftAreRejected() {
        assertThatThrownBy(() -> SolverBench.run(new int[] {100}, 0.01, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 100");
    }
}
