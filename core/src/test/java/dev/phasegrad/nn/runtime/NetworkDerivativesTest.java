package dev.phasegrad.nn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.derivatives.HeuristicDerivatives;
import dev.phasegrad.invert.LsInverter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.nn.InputFeatures;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.TinyModels;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.testing.Allocations;
import java.util.Arrays;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class NetworkDerivativesTest {
    private static final StftConfig CFG = StftConfig.hann(32, 8);

    /** The reference: build each run's input from the whole magnitude matrix and run the network. */
    private static float[][][] reference(PhaseModel m, float[][] mag, int newest) {
        int bins = CFG.bins();
        InputFeatures f = m.features();
        float[][] logs = new float[m.inputFrames()][bins];
        float[] means = new float[m.inputFrames()];
        for (int i = 0; i < m.inputFrames(); i++) {
            int t = newest - i;
            means[i] = f.logFrame(t >= 0 ? mag[t] : new float[bins], bins, logs[i]);
        }
        float[][] in = new float[m.inputFrames()][bins];
        f.inputRows(logs, means, m.inputFrames(), bins, in);
        ModelRunner r = new ModelRunner(m);
        r.run(in);
        float[][][] out = new float[m.stride()][2][];
        for (int s = 0; s < m.stride(); s++) {
            out[s][0] = r.dt(s).clone();
            out[s][1] = r.df(s).clone();
        }
        return out;
    }

    @Test
    void streamingMatchesWholeSignalEvaluationAtStrideOne() {
        PhaseModel m = TinyModels.tiny(CFG, 1, 3);
        float[][] mag = aboveFloor(TinyModels.magnitudes(CFG, 9, 5));
        NetworkDerivatives nd = new NetworkDerivatives(m);
        assertThat(nd.lookahead()).isZero();
        int bins = CFG.bins();
        float[] dt = new float[bins];
        float[] df = new float[bins - 1];
        float[] om = new float[bins];
        for (int t = 0; t < mag.length; t++) {
            assertThat(nd.push(mag[t], dt, df, om)).isTrue();
            float[][][] ref = reference(m, mag, t);
            assertThat(dt).as("frame " + t).containsExactly(ref[0][0]);
            assertThat(df).as("frame " + t).containsExactly(ref[0][1]);
            assertThat(om).containsExactly(mag[t]);
            for (float v : dt) {
                assertThat(v).isBetween((float) -Math.PI, (float) Math.PI);
            }
        }
    }

    @Test
    void stridedModelRunsEverySecondFrameAndServesTwoWithOneFrameLookahead() {
        PhaseModel m = TinyModels.tiny(CFG, 2, 4);
        float[][] mag = aboveFloor(TinyModels.magnitudes(CFG, 10, 6));
        NetworkDerivatives nd = new NetworkDerivatives(m);
        assertThat(nd.lookahead()).isEqualTo(1);
        int bins = CFG.bins();
        float[] dt = new float[bins];
        float[] df = new float[bins - 1];
        float[] om = new float[bins];
        assertThat(nd.push(mag[0], dt, df, om)).isFalse();
        for (int t = 1; t < mag.length; t++) {
            assertThat(nd.push(mag[t], dt, df, om)).isTrue();
            int frame = t - 1;
            // frame f is served by the run whose newest input frame is the odd index f | 1
            int newest = frame | 1;
            float[][][] ref = reference(m, mag, newest);
            int slot = frame - newest + 1;
            assertThat(dt).as("frame " + frame).containsExactly(ref[slot][0]);
            assertThat(df).as("frame " + frame).containsExactly(ref[slot][1]);
            assertThat(om).containsExactly(mag[frame]);
        }
    }

    /**
     * Random magnitudes lifted well above the input floor (10⁻⁴ of the frame peak), so no bin is
     * degenerate and the network's own estimates are compared.
     */
    private static float[][] aboveFloor(float[][] mag) {
        for (float[] row : mag) {
            for (int k = 0; k < row.length; k++) {
                row[k] += 0.05f;
            }
        }
        return mag;
    }

    @Test
    void binsWhoseMainLobeReachesFlooredInputTakeTheHeuristicEstimates() {
        int bins = CFG.bins();
        for (int stride = 1; stride <= 2; stride++) {
            PhaseModel m = TinyModels.tiny(CFG, stride, 3 + stride);
            float[][] mag = aboveFloor(TinyModels.magnitudes(CFG, 12, 7));
            for (float[] row : mag) {
                Arrays.fill(row, 8, 12, 0f); // digital zeros in bins 8–11
            }
            // within 2 bins of a zero: 6, 7 and 12, 13; every other bin keeps the network's estimate
            Set<Integer> degenerate = Set.of(6, 7, 12, 13);
            NetworkDerivatives nd = new NetworkDerivatives(m);
            HeuristicDerivatives h =
                    new HeuristicDerivatives(CFG, m.lookahead(), m.features().relativeFloor());
            float[] dt = new float[bins];
            float[] df = new float[bins - 1];
            float[] om = new float[bins];
            float[] hdt = new float[bins];
            float[] hdf = new float[bins - 1];
            float[] hom = new float[bins];
            for (int t = 0; t < mag.length; t++) {
                boolean a = nd.push(mag[t], dt, df, om);
                assertThat(h.push(mag[t], hdt, hdf, hom)).isEqualTo(a);
                if (!a) {
                    continue;
                }
                int frame = t - m.lookahead();
                int newest = stride == 1 ? frame : frame | 1;
                float[][][] ref = reference(m, mag, newest);
                int slot = frame - newest + stride - 1;
                for (int k = 0; k < bins; k++) {
                    if (degenerate.contains(k)) {
                        assertThat(dt[k])
                                .as("stride %d frame %d dt bin %d", stride, frame, k)
                                .isCloseTo(hdt[k], Assertions.within(1e-4f));
                    } else {
                        assertThat(dt[k])
                                .as("stride %d frame %d dt bin %d", stride, frame, k)
                                .isEqualTo(ref[slot][0][k]);
                    }
                }
                for (int k = 0; k + 1 < bins; k++) {
                    if (degenerate.contains(k) || degenerate.contains(k + 1)) {
                        assertThat(df[k])
                                .as("stride %d frame %d df bin %d", stride, frame, k)
                                .isCloseTo(hdf[k], Assertions.within(1e-4f));
                    } else {
                        assertThat(df[k])
                                .as("stride %d frame %d df bin %d", stride, frame, k)
                                .isEqualTo(ref[slot][1][k]);
                    }
                }
            }
        }
    }

    @Test
    void phasorPushGivesTheUnitPhasorsOfTheAnglePush() {
        for (int stride = 1; stride <= 2; stride++) {
            PhaseModel m = TinyModels.tiny(CFG, stride, 5 + stride);
            float[][] mag = TinyModels.magnitudes(CFG, 11, 6);
            NetworkDerivatives byAngle = new NetworkDerivatives(m);
            NetworkDerivatives byPhasor = new NetworkDerivatives(m);
            int bins = CFG.bins();
            float[] dt = new float[bins];
            float[] df = new float[bins - 1];
            float[] om = new float[bins];
            float[] om2 = new float[bins];
            double[] dtc = new double[bins];
            double[] dts = new double[bins];
            double[] dfc = new double[bins - 1];
            double[] dfs = new double[bins - 1];
            for (int t = 0; t < mag.length; t++) {
                boolean a = byAngle.push(mag[t], dt, df, om);
                boolean b = byPhasor.pushPhasors(mag[t], dtc, dts, dfc, dfs, om2);
                assertThat(b).isEqualTo(a);
                if (!a) {
                    continue;
                }
                assertThat(om2).containsExactly(om);
                for (int k = 0; k < bins; k++) {
                    // normalised in float, as the heads compute
                    assertThat(Math.hypot(dtc[k], dts[k])).isCloseTo(1.0, Assertions.within(1e-6));
                    assertThat(dtc[k])
                            .as("stride %d frame %d bin %d", stride, t, k)
                            .isCloseTo(Math.cos(dt[k]), Assertions.within(2e-6));
                    assertThat(dts[k]).isCloseTo(Math.sin(dt[k]), Assertions.within(2e-6));
                }
                for (int k = 0; k + 1 < bins; k++) {
                    assertThat(dfc[k]).isCloseTo(Math.cos(df[k]), Assertions.within(2e-6));
                    assertThat(dfs[k]).isCloseTo(Math.sin(df[k]), Assertions.within(2e-6));
                }
            }
        }
    }

    @Test
    void headsOfModulusZeroGiveMissingDerivativesAndTheLsStillOutputsUnitPhasors() {
        PhaseModel zero = TinyModels.tiny(CFG, 1, 3);
        zero = zero.withParams(new float[zero.paramCount()]); // every head outputs (0, 0)
        NetworkDerivatives nd = new NetworkDerivatives(zero);
        int bins = CFG.bins();
        double[] dtc = new double[bins];
        double[] dts = new double[bins];
        double[] dfc = new double[bins - 1];
        double[] dfs = new double[bins - 1];
        float[] om = new float[bins];
        float[][] mag = aboveFloor(TinyModels.magnitudes(CFG, 4, 2));
        assertThat(nd.pushPhasors(mag[0], dtc, dts, dfc, dfs, om)).isTrue();
        for (int k = 0; k < bins; k++) {
            assertThat(Double.isFinite(dtc[k]) && Double.isFinite(dts[k]))
                    .as("dt bin %d", k)
                    .isFalse();
        }
        for (int k = 0; k + 1 < bins; k++) {
            assertThat(Double.isFinite(dfc[k]) && Double.isFinite(dfs[k]))
                    .as("df bin %d", k)
                    .isFalse();
        }
        LsInverter inv = Methods.network("zero", zero, CFG);
        float[] re = new float[bins];
        float[] im = new float[bins];
        for (float[] m : mag) {
            assertThat(inv.push(m, re, im)).isTrue();
            for (int k = 0; k < bins; k++) {
                assertThat(Math.hypot(re[k], im[k])).as("bin %d", k).isCloseTo(m[k], Assertions.within(1e-5));
            }
        }
    }

    @Test
    void resetRestartsTheStreamIdentically() {
        PhaseModel m = TinyModels.tiny(CFG, 1, 3);
        float[][] mag = TinyModels.magnitudes(CFG, 5, 8);
        NetworkDerivatives nd = new NetworkDerivatives(m);
        int bins = CFG.bins();
        float[] a = new float[bins];
        float[] b = new float[bins];
        float[] df = new float[bins - 1];
        float[] om = new float[bins];
        for (float[] f : mag) {
            nd.push(f, a, df, om);
        }
        nd.reset();
        nd.push(mag[0], a, df, om);
        new NetworkDerivatives(m).push(mag[0], b, df, om);
        assertThat(a).containsExactly(b);
    }

    @Test
    void pushAllocatesNothingAfterWarmUp() {
        for (int stride : new int[] {1, 2}) {
            NetworkDerivatives nd = new NetworkDerivatives(TinyModels.tiny(CFG, stride, 2));
            float[][] mag = TinyModels.magnitudes(CFG, 64, 1);
            int bins = CFG.bins();
            float[] dt = new float[bins];
            float[] df = new float[bins - 1];
            float[] om = new float[bins];
            for (int rep = 0; rep < 200; rep++) {
                for (float[] f : mag) {
                    nd.push(f, dt, df, om);
                }
            }
            long bytes = Allocations.steadyState(() -> {
                nd.reset();
                for (float[] f : mag) {
                    nd.push(f, dt, df, om);
                }
            });
            assertThat(bytes).as("stride " + stride).isZero();
        }
    }
}
