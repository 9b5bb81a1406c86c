package dev.phasegrad.integrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.phasegrad.derivatives.FastSinCos;
import dev.phasegrad.derivatives.PhaseMath;
import dev.phasegrad.stft.StftConfig;
import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class LsIntegratorTest {
    private static final StftConfig C = StftConfig.hann(64, 16);
    private static final int K = C.bins();

    /** One frame's inputs. */
    private static final class Frame {
        double[] mag = new double[K];
        double[] prev = new double[K];
        double[] dt = new double[K];
        double[] df = new double[K - 1];
        double[] lambda = new double[K];
        double[] gamma = new double[K - 1];

        static Frame random(Random r) {
            Frame f = new Frame();
            for (int k = 0; k < K; k++) {
                f.mag[k] = k % 9 == 4 ? 0 : 0.05 + r.nextDouble();
                f.prev[k] = PhaseMath.princarg(7 * r.nextDouble());
                f.dt[k] = 2 * r.nextDouble() - 1;
                f.lambda[k] = 0.1 + r.nextDouble();
                if (k + 1 < K) {
                    f.df[k] = 3 * r.nextDouble() - 1.5;
                    f.gamma[k] = 0.1 + 3 * r.nextDouble();
                }
            }
            return f;
        }

        /** Derivatives consistent with {@code truth} (exact, any weights reproduce it). */
        static Frame consistent(Random r, double[] truth) {
            Frame f = random(r);
            for (int k = 0; k < K; k++) {
                f.dt[k] = PhaseMath.princarg(truth[k] - f.prev[k] - PhaseMath.binAdvance(k, C.hop(), C.fftSize()));
                if (k + 1 < K) {
                    f.df[k] = PhaseMath.princarg(truth[k + 1] - truth[k]);
                }
            }
            return f;
        }

        double[] run(LsIntegrator integ) {
            double[] out = new double[K];
            integ.integrate(mag, prev, dt, df, lambda, gamma, out);
            return out;
        }
    }

    private static double[] randomPhases(Random r) {
        double[] p = new double[K];
        for (int k = 0; k < K; k++) {
            p[k] = PhaseMath.princarg(10 * r.nextDouble());
        }
        return p;
    }

    private static double angleDiff(double a, double b) {
        return Math.abs(PhaseMath.princarg(a - b));
    }

    @Test
    void timeOnlyIntegrationReproducesPreviousPhasePlusAdvancePlusDt() {
        Frame f = Frame.random(new Random(1));
        Arrays.fill(f.gamma, 0);
        double[] out = f.run(new LsIntegrator(C, LsParams.DEFAULT_DELTA));
        for (int k = 0; k < K; k++) {
            double expected = f.prev[k] + 2 * Math.PI * k * C.hop() / C.fftSize() + f.dt[k];
            assertThat(angleDiff(out[k], expected)).as("bin %d", k).isLessThan(1e-12);
        }
    }

    @Test
    void consistentDerivativesAreReproducedWhateverTheWeights() {
        Random r = new Random(2);
        LsIntegrator integ = new LsIntegrator(C, LsParams.DEFAULT_DELTA);
        for (int rep = 0; rep < 20; rep++) {
            double[] truth = randomPhases(r);
            Frame f = Frame.consistent(r, truth);
            double[] out = f.run(integ);
            for (int k = 0; k < K; k++) {
                assertThat(angleDiff(out[k], truth[k]))
                        .as("rep %d bin %d", rep, k)
                        .isLessThan(1e-9);
            }
        }
    }

    @Test
    void frequencyChainCarriesPhaseToBinsWithoutTimeWeight() {
        Random r = new Random(3);
        double[] truth = randomPhases(r);
        Frame f = Frame.consistent(r, truth);
        // only bin 0 is anchored in time; all others must come through Δf
        Arrays.fill(f.lambda, 1, K, 0);
        Arrays.fill(f.mag, 1.0);
        double[] out = f.run(new LsIntegrator(C, LsParams.DEFAULT_DELTA));
        for (int k = 0; k < K; k++) {
            assertThat(angleDiff(out[k], truth[k])).as("bin %d", k).isLessThan(1e-9);
        }
    }

    @Test
    void nonFiniteDerivativesAndPhasesAreDroppedNotPropagated() {
        Random r = new Random(4);
        double[] truth = randomPhases(r);
        Frame f = Frame.consistent(r, truth);
        Arrays.fill(f.mag, 1.0);
        f.dt[5] = Double.NaN;
        f.prev[9] = Double.POSITIVE_INFINITY;
        f.df[12] = Double.NaN;
        f.df[20] = Double.NEGATIVE_INFINITY;
        LsIntegrator integ = new LsIntegrator(C, LsParams.DEFAULT_DELTA);
        double[] out = f.run(integ);
        for (int k = 0; k < K; k++) {
            assertThat(out[k]).as("bin %d", k).isFinite();
            // every bin is still constrained by its other terms, consistent with the truth
            assertThat(angleDiff(out[k], truth[k])).as("bin %d", k).isLessThan(1e-9);
        }
        double[] g = new double[K];
        double[] gdt = new double[K];
        double[] gdf = new double[K - 1];
        Arrays.fill(g, 1);
        integ.backwardFromPhase(g, gdt, gdf, null, null);
        assertThat(gdt[5]).isZero();
        assertThat(gdf[12]).isZero();
        for (double v : gdt) {
            assertThat(v).isFinite();
        }
    }

    /** Runs the phasor entry point on f with prev = e^{i·f.prev} (non-finite prev → NaN phasor). */
    private static double[][] runUnit(LsIntegrator integ, Frame f) {
        double[] pr = new double[K];
        double[] pi = new double[K];
        for (int k = 0; k < K; k++) {
            pr[k] = Double.isFinite(f.prev[k]) ? Math.cos(f.prev[k]) : Double.NaN;
            pi[k] = Double.isFinite(f.prev[k]) ? Math.sin(f.prev[k]) : Double.NaN;
        }
        double[] or = new double[K];
        double[] oi = new double[K];
        integ.integrateUnit(f.mag, pr, pi, f.dt, f.df, f.lambda, f.gamma, or, oi);
        return new double[][] {or, oi};
    }

    @Test
    void derivativePhasorEntryPointIsTheAngleEntryPointWithoutItsCosSin() {
        Random r = new Random(12);
        for (int rep = 0; rep < 12; rep++) {
            Frame f = Frame.random(r);
            if (rep % 3 == 1) {
                f.dt[3] = Double.NaN;
                f.df[10] = Double.POSITIVE_INFINITY;
            }
            double[] pr = new double[K];
            double[] pi = new double[K];
            for (int k = 0; k < K; k++) {
                pr[k] = Math.cos(f.prev[k]);
                pi[k] = Math.sin(f.prev[k]);
            }
            double[] dtc = new double[K];
            double[] dts = new double[K];
            double[] dfc = new double[K - 1];
            double[] dfs = new double[K - 1];
            FastSinCos.cosSin(f.dt, dtc, dts, K);
            FastSinCos.cosSin(f.df, dfc, dfs, K - 1);
            LsIntegrator byAngle = new LsIntegrator(C, LsParams.DEFAULT_DELTA);
            LsIntegrator byPhasor = new LsIntegrator(C, LsParams.DEFAULT_DELTA);
            double[] ar = new double[K];
            double[] ai = new double[K];
            double[] br = new double[K];
            double[] bi = new double[K];
            byAngle.integrateUnit(f.mag, pr, pi, f.dt, f.df, f.lambda, f.gamma, ar, ai);
            byPhasor.integrateUnitPhasors(f.mag, pr, pi, dtc, dts, dfc, dfs, f.lambda, f.gamma, br, bi);
            assertThat(br).as("rep %d re", rep).containsExactly(ar);
            assertThat(bi).as("rep %d im", rep).containsExactly(ai);
            double[] g = new double[K];
            Arrays.fill(g, 1);
            double[] gdtA = new double[K];
            double[] gdfA = new double[K - 1];
            double[] gdtB = new double[K];
            double[] gdfB = new double[K - 1];
            byAngle.backwardFromPhase(g, gdtA, gdfA, null, null);
            byPhasor.backwardFromPhase(g, gdtB, gdfB, null, null);
            assertThat(gdtB).containsExactly(gdtA);
            assertThat(gdfB).containsExactly(gdfA);
        }
    }

    @Test
    void phasorEntryPointAgreesWithThePhaseEntryPointIncludingGuardsAndBackward() {
        Random r = new Random(11);
        for (int rep = 0; rep < 20; rep++) {
            Frame f = Frame.random(r);
            if (rep % 4 == 1) {
                f.dt[3] = Double.NaN;
                f.prev[7] = Double.POSITIVE_INFINITY;
                f.df[10] = Double.NaN;
            } else if (rep % 4 == 2) {
                Arrays.fill(f.mag, 0);
                f.prev[2] = Double.NaN;
                f.dt[4] = Double.NEGATIVE_INFINITY;
            } else if (rep % 4 == 3) {
                // silence in the upper half: those bins fall back
                for (int k = K / 2; k < K; k++) {
                    f.mag[k] = 0;
                }
            }
            LsIntegrator byPhase = new LsIntegrator(C, LsParams.DEFAULT_DELTA);
            LsIntegrator byPhasor = new LsIntegrator(C, LsParams.DEFAULT_DELTA);
            double[] phase = f.run(byPhase);
            double[][] unit = runUnit(byPhasor, f);
            for (int k = 0; k < K; k++) {
                assertThat(Math.hypot(unit[0][k], unit[1][k]))
                        .as("rep %d bin %d", rep, k)
                        .isCloseTo(1, within(1e-14));
                assertThat(angleDiff(Math.atan2(unit[1][k], unit[0][k]), phase[k]))
                        .as("rep %d bin %d", rep, k)
                        .isLessThan(1e-12);
                assertThat(byPhasor.isFallback(k)).isEqualTo(byPhase.isFallback(k));
            }
            double[] g = new double[K];
            for (int k = 0; k < K; k++) {
                g[k] = r.nextDouble() - 0.5;
            }
            double[] gdt1 = new double[K];
            double[] gdf1 = new double[K - 1];
            double[] gdt2 = new double[K];
            double[] gdf2 = new double[K - 1];
            byPhase.backwardFromPhase(g, gdt1, gdf1, null, null);
            byPhasor.backwardFromPhase(g, gdt2, gdf2, null, null);
            for (int k = 0; k < K; k++) {
                assertThat(gdt2[k]).isCloseTo(gdt1[k], within(1e-9 * (1 + Math.abs(gdt1[k]))));
                if (k + 1 < K) {
                    assertThat(gdf2[k]).isCloseTo(gdf1[k], within(1e-9 * (1 + Math.abs(gdf1[k]))));
                }
            }
        }
    }

    @Test
    void allZeroFrameKeepsTheRunningPhaseAndStaysFinite() {
        Frame f = Frame.random(new Random(5));
        Arrays.fill(f.mag, 0);
        LsIntegrator integ = new LsIntegrator(C, LsParams.DEFAULT_DELTA);
        double[] out = f.run(integ);
        for (int k = 0; k < K; k++) {
            assertThat(integ.isFallback(k)).isTrue();
            double expected = f.prev[k] + PhaseMath.binAdvance(k, C.hop(), C.fftSize()) + f.dt[k];
            assertThat(angleDiff(out[k], expected)).isLessThan(1e-12);
        }
        // and a frame whose previous phase is non-finite as well still yields finite phases
        f.prev[3] = Double.NaN;
        f.dt[4] = Double.NaN;
        out = f.run(integ);
        for (double v : out) {
            assertThat(v).isFinite();
        }
    }

    @Test
    void onsetAfterDigitalSilenceIsSolvedWithTheWeakAnchor() {
        Random r = new Random(6);
        double[] truth = randomPhases(r);
        Frame f = Frame.consistent(r, truth);
        double[] silentPrev = new double[K];
        LsWeights.compute(f.mag, silentPrev, LsParams.of(2, 100), f.lambda, f.gamma);
        for (int k = 0; k < K; k++) {
            if (f.mag[k] > 0) {
                assertThat(f.lambda[k]).as("anchor at bin %d", k).isPositive();
            }
        }
        LsIntegrator integ = new LsIntegrator(C, LsParams.DEFAULT_DELTA);
        double[] out = f.run(integ);
        for (int k = 0; k < K; k++) {
            if (f.mag[k] > 0) {
                assertThat(integ.isFallback(k)).isFalse();
            }
            assertThat(angleDiff(out[k], truth[k])).as("bin %d", k).isLessThan(1e-9);
        }
    }

    @Test
    void weightsIgnoreGainAndFloorThePreviousMagnitudeAtOnsets() {
        Random r = new Random(7);
        double[] m = new double[K];
        double[] prev = new double[K];
        for (int k = 0; k < K; k++) {
            m[k] = r.nextDouble();
            prev[k] = k < 10 ? 0 : r.nextDouble();
        }
        LsParams p = new LsParams(1.5, 30, 0.01, 1e-6);
        double[] l1 = new double[K];
        double[] g1 = new double[K - 1];
        LsWeights.compute(m, prev, p, l1, g1);
        double[] m2 = m.clone();
        double[] prev2 = prev.clone();
        for (int k = 0; k < K; k++) {
            m2[k] *= 1000;
            prev2[k] *= 1000;
        }
        double[] l2 = new double[K];
        double[] g2 = new double[K - 1];
        LsWeights.compute(m2, prev2, p, l2, g2);
        double peak = Arrays.stream(m).max().orElseThrow();
        for (int k = 0; k < K; k++) {
            assertThat(l2[k]).isCloseTo(l1[k], within(1e-12));
            double expectedPrev = Math.max(prev[k], 0.01 * m[k]) / peak;
            assertThat(l1[k]).isCloseTo(Math.pow(m[k] / peak * expectedPrev, 1.5), within(1e-12));
        }
        for (int k = 0; k + 1 < K; k++) {
            assertThat(g2[k]).isCloseTo(g1[k], within(1e-9));
            assertThat(g1[k]).isCloseTo(30 * Math.pow(m[k] * m[k + 1] / (peak * peak), 1.5), within(1e-9));
        }
        LsWeights.compute(new double[K], prev, p, l1, g1);
        assertThat(l1).containsOnly(0.0);
        assertThat(g1).containsOnly(0.0);
    }

    // ---- backward pass against central finite differences ----

    /** Evaluates a loss of the frame after integrating it. */
    private interface Loss {
        double value(LsIntegrator integ, Frame f);

        /** Runs the matching backward pass into the four gradient arrays. */
        void backward(LsIntegrator integ, Frame f, double[] gdt, double[] gdf, double[] gl, double[] gg);
    }

    /** L = Σ |x_k − T_k|², x the LS solution. */
    private static Loss squaredError(double[] tRe, double[] tIm) {
        return new Loss() {
            @Override
            public double value(LsIntegrator integ, Frame f) {
                f.run(integ);
                double[] xr = new double[K];
                double[] xi = new double[K];
                integ.copySolution(xr, xi);
                double s = 0;
                for (int k = 0; k < K; k++) {
                    s += (xr[k] - tRe[k]) * (xr[k] - tRe[k]) + (xi[k] - tIm[k]) * (xi[k] - tIm[k]);
                }
                return s;
            }

            @Override
            public void backward(LsIntegrator integ, Frame f, double[] gdt, double[] gdf, double[] gl, double[] gg) {
                f.run(integ);
                double[] xr = new double[K];
                double[] xi = new double[K];
                integ.copySolution(xr, xi);
                double[] gr = new double[K];
                double[] gi = new double[K];
                for (int k = 0; k < K; k++) {
                    gr[k] = 2 * (xr[k] - tRe[k]);
                    gi[k] = 2 * (xi[k] - tIm[k]);
                }
                integ.backward(gr, gi, gdt, gdf, gl, gg);
            }
        };
    }

    /** L = Σ w_k (1 − cos(ψ_k − ψ*_k)), ψ the output phase: the magnitude-weighted cosine phase loss. */
    private static Loss cosinePhase(double[] target, double[] w) {
        return new Loss() {
            @Override
            public double value(LsIntegrator integ, Frame f) {
                double[] ph = f.run(integ);
                double s = 0;
                for (int k = 0; k < K; k++) {
                    s += w[k] * (1 - Math.cos(ph[k] - target[k]));
                }
                return s;
            }

            @Override
            public void backward(LsIntegrator integ, Frame f, double[] gdt, double[] gdf, double[] gl, double[] gg) {
                double[] ph = f.run(integ);
                double[] g = new double[K];
                for (int k = 0; k < K; k++) {
                    g[k] = w[k] * Math.sin(ph[k] - target[k]);
                }
                integ.backwardFromPhase(g, gdt, gdf, gl, gg);
            }
        };
    }

    private static void checkGradients(Loss loss, Frame f, LsIntegrator integ) {
        double[] gdt = new double[K];
        double[] gdf = new double[K - 1];
        double[] gl = new double[K];
        double[] gg = new double[K - 1];
        loss.backward(integ, f, gdt, gdf, gl, gg);
        compare("dt", f.dt, gdt, loss, f, integ);
        compare("df", f.df, gdf, loss, f, integ);
        compare("lambda", f.lambda, gl, loss, f, integ);
        compare("gamma", f.gamma, gg, loss, f, integ);
        // the previous phase enters only through θ = φ + advance + Δt
        compare("prev phase", f.prev, gdt, loss, f, integ);
    }

    private static void compare(String what, double[] param, double[] grad, Loss loss, Frame f, LsIntegrator integ) {
        double h = 1e-6;
        double scale = 0;
        for (double g : grad) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertThat(scale).as("%s gradient is not trivially zero", what).isGreaterThan(1e-6);
        ToDoubleFunction<Integer> fd = i -> {
            double keep = param[i];
            param[i] = keep + h;
            double up = loss.value(integ, f);
            param[i] = keep - h;
            double down = loss.value(integ, f);
            param[i] = keep;
            return (up - down) / (2 * h);
        };
        for (int i = 0; i < grad.length; i++) {
            double numeric = fd.applyAsDouble(i);
            assertThat(grad[i]).as("%s[%d]", what, i).isCloseTo(numeric, within(1e-6 * scale + 1e-9));
        }
    }

    @Test
    void backwardFromSolutionMatchesFiniteDifferences() {
        Random r = new Random(8);
        for (int rep = 0; rep < 3; rep++) {
            Frame f = Frame.random(r);
            double[] tRe = new double[K];
            double[] tIm = new double[K];
            for (int k = 0; k < K; k++) {
                tRe[k] = r.nextGaussian();
                tIm[k] = r.nextGaussian();
            }
            checkGradients(squaredError(tRe, tIm), f, new LsIntegrator(C, 1e-3));
        }
    }

    @Test
    void backwardFromPhaseMatchesFiniteDifferences() {
        Random r = new Random(9);
        for (int rep = 0; rep < 3; rep++) {
            Frame f = Frame.random(r);
            double[] target = randomPhases(r);
            double[] w = new double[K];
            for (int k = 0; k < K; k++) {
                w[k] = f.mag[k];
            }
            checkGradients(cosinePhase(target, w), f, new LsIntegrator(C, LsParams.DEFAULT_DELTA));
        }
    }

    @Test
    void badInputIsRejectedWithTheBinNamed() {
        LsIntegrator integ = new LsIntegrator(C, LsParams.DEFAULT_DELTA);
        assertThatThrownBy(() -> integ.backward(new double[K], new double[K], null, null, null, null))
                .isInstanceOf(IllegalStateException.class);
        Frame f = Frame.random(new Random(10));
        f.mag[3] = -1;
        assertThatThrownBy(() -> f.run(integ))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bin 3")
                .hasMessageContaining("magnitude");
        f.mag[3] = Double.NaN;
        assertThatThrownBy(() -> f.run(integ)).hasMessageContaining("bin 3");
        f.mag[3] = 1;
        f.lambda[6] = Double.NaN;
        assertThatThrownBy(() -> f.run(integ)).hasMessageContaining("bin 6").hasMessageContaining("time weight");
        f.lambda[6] = 1;
        f.gamma[2] = -0.5;
        assertThatThrownBy(() -> f.run(integ)).hasMessageContaining("bin 2").hasMessageContaining("frequency weight");
        f.gamma[2] = 1;
        f.df = new double[3];
        assertThatThrownBy(() -> f.run(integ)).hasMessageContaining("df has 3 values, expected " + (K - 1));
        assertThatThrownBy(() -> LsParams.of(-1, 1)).hasMessageContaining("p");
        assertThatThrownBy(() -> new LsParams(1, 1, 1e-3, 0)).hasMessageContaining("delta");
        assertThatThrownBy(() -> new LsIntegrator(C, 1e-6, new TridiagonalSolver(K - 1)))
                .hasMessageContaining("capacity");
    }
}
