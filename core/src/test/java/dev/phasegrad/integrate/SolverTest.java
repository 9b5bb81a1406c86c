package dev.phasegrad.integrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.stft.StftConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SolverTest {

    private static double[][] solve(HermitianTridiagonalSolver s, TriSystem sys) {
        double[] xr = new double[sys.n()];
        double[] xi = new double[sys.n()];
        s.solve(sys.n(), sys.diag(), sys.eRe(), sys.eIm(), sys.bRe(), sys.bIm(), xr, xi);
        return new double[][] {xr, xi};
    }

    /**
     * A system of the LS integration for bins some 400 dB under the frame's peak: weights near 1e-160,
     * whose squares fall below the normal doubles, and a diagonal that dominates by 0.1 % only. It has
     * the solution of the same system scaled by 2^600 (exactly, into the normal range); with |e|² formed
     * as a subnormal the pivots came out negative ("not positive definite") or wrong.
     */
    @Test
    void systemsOfWeightsNearTheBottomOfTheDoublesAreSolvedAsScaledOnes() {
        int n = 40;
        double[] beta = new double[n - 1];
        for (int j = 0; j < n - 1; j++) {
            beta[j] = 1e-160 * Math.pow(0.7, j);
        }
        double[] diag = new double[n];
        double[] eRe = new double[n - 1];
        double[] eIm = new double[n - 1];
        double[] bRe = new double[n];
        double[] bIm = new double[n];
        Random r = new Random(3);
        for (int j = 0; j < n; j++) {
            double left = j > 0 ? beta[j - 1] : 0;
            double right = j < n - 1 ? beta[j] : 0;
            diag[j] = (left + right) * 1.001;
            bRe[j] = diag[j] * r.nextGaussian();
            bIm[j] = diag[j] * r.nextGaussian();
            if (j < n - 1) {
                double a = r.nextDouble() * 2 * Math.PI;
                eRe[j] = -beta[j] * Math.cos(a);
                eIm[j] = -beta[j] * Math.sin(a);
            }
        }
        double up = Math.scalb(1.0, 600);
        TriSystem tiny = new TriSystem(n, diag, eRe, eIm, bRe, bIm);
        TriSystem scaled =
                new TriSystem(n, scale(diag, up), scale(eRe, up), scale(eIm, up), scale(bRe, up), scale(bIm, up));
        TridiagonalSolver tri = new TridiagonalSolver(n);
        double[][] x = solve(tri, tiny);
        double[][] reference = solve(tri, scaled);
        assertThat(TriSystem.relativeDifference(x[0], x[1], reference[0], reference[1]))
                .isLessThan(1e-9);
    }

    private static double[] scale(double[] a, double s) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= s;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 17, 257, 513})
    void randomHpdSystemsAreSolvedAndAgreeWithDense(int n) {
        Random r = new Random(n);
        TridiagonalSolver tri = new TridiagonalSolver(n);
        DenseSolver dense = new DenseSolver(n);
        ConjugateGradientSolver cg = new ConjugateGradientSolver(n);
        for (int rep = 0; rep < 5; rep++) {
            TriSystem sys = TriSystem.randomHpd(n, r, 2);
            double[][] xt = solve(tri, sys);
            double[][] xd = solve(dense, sys);
            double[][] xc = solve(cg, sys);
            assertThat(sys.residual(xt[0], xt[1])).as("tridiagonal residual").isLessThan(1e-9);
            assertThat(sys.residual(xd[0], xd[1])).as("dense residual").isLessThan(1e-9);
            assertThat(sys.residual(xc[0], xc[1])).as("cg residual").isLessThan(1e-9);
            assertThat(TriSystem.relativeDifference(xt[0], xt[1], xd[0], xd[1]))
                    .as("tridiagonal vs dense")
                    .isLessThan(1e-8);
            assertThat(TriSystem.relativeDifference(xc[0], xc[1], xd[0], xd[1]))
                    .as("cg vs dense")
                    .isLessThan(1e-8);
        }
    }

    @Test
    void speechFrameSystemsAreSolvedAndAgreeWithDense() {
        for (StftConfig c : new StftConfig[] {StftConfig.HANN_512_128, StftConfig.DEFAULT}) {
            for (LsParams p : new LsParams[] {LsParams.of(1, 10), LsParams.of(2, 1000), LsParams.of(0.5, 0.1)}) {
                List<TriSystem> systems = TriSystem.speechFrames(c, p, 12);
                TridiagonalSolver tri = new TridiagonalSolver(c.bins());
                DenseSolver dense = new DenseSolver(c.bins());
                ConjugateGradientSolver cg = new ConjugateGradientSolver(c.bins());
                double worstRes = 0;
                double worstDiff = 0;
                double worstCg = 0;
                for (TriSystem sys : systems) {
                    double[][] xt = solve(tri, sys);
                    double[][] xd = solve(dense, sys);
                    double[][] xc = solve(cg, sys);
                    worstRes = Math.max(worstRes, sys.residual(xt[0], xt[1]));
                    worstDiff = Math.max(worstDiff, TriSystem.relativeDifference(xt[0], xt[1], xd[0], xd[1]));
                    worstCg = Math.max(worstCg, TriSystem.relativeDifference(xc[0], xc[1], xd[0], xd[1]));
                }
                assertThat(worstRes).as("%s %s tridiagonal residual", c, p).isLessThan(1e-9);
                assertThat(worstDiff).as("%s %s tridiagonal vs dense", c, p).isLessThan(1e-8);
                assertThat(worstCg).as("%s %s cg vs dense", c, p).isLessThan(1e-8);
            }
        }
    }

    /**
     * With a 1000× weaker regulariser the onset frames reach condition numbers near 1e9: then
     * ‖b − Ax‖/‖b‖ can only be ≈ κ·ε, but the solve must still be backward stable.
     */
    @Test
    void illConditionedSpeechFramesAreSolvedBackwardStably() {
        LsParams p = new LsParams(2, 1000, LsParams.DEFAULT_ONSET_EPSILON, 1e-9);
        for (TriSystem sys : TriSystem.speechFrames(StftConfig.DEFAULT, p, 40)) {
            double[][] x = solve(new TridiagonalSolver(sys.n()), sys);
            assertThat(sys.backwardError(x[0], x[1])).isLessThan(1e-14);
        }
    }

    @Test
    void solutionMayOverwriteTheRightHandSide() {
        TriSystem sys = TriSystem.randomHpd(40, new Random(3), 1);
        for (HermitianTridiagonalSolver s : new HermitianTridiagonalSolver[] {
            new TridiagonalSolver(40), new DenseSolver(40), new ConjugateGradientSolver(40)
        }) {
            double[][] ref = solve(s, sys);
            double[] br = sys.bRe().clone();
            double[] bi = sys.bIm().clone();
            s.solve(40, sys.diag(), sys.eRe(), sys.eIm(), br, bi, br, bi);
            assertThat(br).as(s.name()).containsExactly(ref[0]);
            assertThat(bi).as(s.name()).containsExactly(ref[1]);
        }
    }

    @Test
    void smallerOrderThanCapacityUsesOnlyTheLeadingEntries() {
        TriSystem sys = TriSystem.randomHpd(30, new Random(4), 1);
        TridiagonalSolver tri = new TridiagonalSolver(100);
        double[] xr = new double[100];
        double[] xi = new double[100];
        tri.solve(30, sys.diag(), sys.eRe(), sys.eIm(), sys.bRe(), sys.bIm(), xr, xi);
        assertThat(sys.residual(Arrays.copyOf(xr, 30), Arrays.copyOf(xi, 30))).isLessThan(1e-12);
    }

    @Test
    void indefiniteMatricesAndBadOrdersAreRejected() {
        double[] diag = {1, 1, 1};
        double[] eRe = {2, 0};
        double[] eIm = {0, 0};
        double[] b = {1, 1, 1};
        double[] z = new double[3];
        // CG is left out of the first check: it only notices indefiniteness if an iterate exposes it
        for (HermitianTridiagonalSolver s :
                new HermitianTridiagonalSolver[] {new TridiagonalSolver(3), new DenseSolver(3)}) {
            assertThatThrownBy(() -> s.solve(3, diag, eRe, eIm, b, z, new double[3], new double[3]))
                    .as(s.name())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("positive definite");
        }
        for (HermitianTridiagonalSolver s : new HermitianTridiagonalSolver[] {
            new TridiagonalSolver(3), new DenseSolver(3), new ConjugateGradientSolver(3)
        }) {
            assertThatThrownBy(() -> s.solve(4, diag, eRe, eIm, b, z, new double[3], new double[3]))
                    .as(s.name())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("order");
            double[] negative = {1, -1, 1};
            assertThatThrownBy(() -> s.solve(3, negative, z, z, b, z, new double[3], new double[3]))
                    .as(s.name())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("row 1");
        }
        double[] nan = {1, Double.NaN, 1};
        assertThatThrownBy(() -> new TridiagonalSolver(3).solve(3, nan, eIm, eIm, b, z, new double[3], new double[3]))
                .hasMessageContaining("row 1");
    }

    @Test
    void conjugateGradientsRefuseToReturnAnUnconvergedAnswer() {
        TriSystem sys = TriSystem.randomHpd(200, new Random(5), 6);
        ConjugateGradientSolver cg = new ConjugateGradientSolver(200, 1e-14, 1);
        // one iteration per unknown is not enough for a condition number near 1e6 at this tolerance
        assertThatThrownBy(() -> solve(cg, sys))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not reach");
    }
}
