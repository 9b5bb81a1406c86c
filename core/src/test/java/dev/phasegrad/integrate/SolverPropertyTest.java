package dev.phasegrad.integrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class SolverPropertyTest {

    @Property(tries = 200)
    void tridiagonalSolveHasTinyResidualAndMatchesDense(
            @ForAll @IntRange(min = 1, max = 120) int n,
            @ForAll long seed,
            @ForAll @DoubleRange(min = 0, max = 4) double decades) {
        TriSystem sys = TriSystem.randomHpd(n, new Random(seed), decades);
        double[] xr = new double[n];
        double[] xi = new double[n];
        new TridiagonalSolver(n).solve(n, sys.diag(), sys.eRe(), sys.eIm(), sys.bRe(), sys.bIm(), xr, xi);
        double[] dr = new double[n];
        double[] di = new double[n];
        new DenseSolver(n).solve(n, sys.diag(), sys.eRe(), sys.eIm(), sys.bRe(), sys.bIm(), dr, di);
        assertThat(sys.residual(xr, xi)).isLessThan(1e-9);
        assertThat(TriSystem.relativeDifference(xr, xi, dr, di)).isLessThan(1e-8);
    }
}
