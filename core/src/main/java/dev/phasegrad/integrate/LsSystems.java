package dev.phasegrad.integrate;

import dev.phasegrad.derivatives.OracleDerivatives;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Real per-frame LS systems, for measuring and checking solvers on the conditioning production sees
 * (used by {@code phasegrad bench solver}, the JMH solver benchmark and the solver tests). A signal
 * is integrated frame by frame with its true phase derivatives; {@link #fromSpeech} uses the weights
 * ls-heuristic uses, because the oracle's own tuned entry is arbitrary (its tuning grid is flat) and
 * gives better-conditioned systems than production ever meets.
 */
public final class LsSystems {
    /** One Hermitian tridiagonal system: diagonal, sub-diagonal (re, im), right-hand side (re, im). */
    public record FrameSystem(double[] diag, double[] eRe, double[] eIm, double[] bRe, double[] bIm) {
        public int unknowns() {
            return diag.length;
        }
    }

    private LsSystems() {}

    /**
     * The systems of {@code count} frames spread evenly over the middle 80 % of {@code signal} (the
     * lead-in and tail are near silence), in frame order, at FFT 2(n−1), hop N/4, with the weights
     * ls-heuristic uses.
     *
     * @param n unknowns per system, n ≥ 3 with 2(n−1) divisible by 4
     * @throws IllegalArgumentException for such an n, or a signal too short for {@code count} frames
     */
    public static List<FrameSystem> fromSpeech(float[] signal, int n, int count) {
        int fft = 2 * (n - 1);
        if (n < 3 || fft % 4 != 0) {
            throw new IllegalArgumentException("unknowns n must be >= 3 with 2(n-1) divisible by 4, got " + n);
        }
        StftConfig c = StftConfig.hann(fft, fft / 4);
        int frames = Stft.frameCount(signal.length, c);
        return frames(signal, c, LsDefaults.forSource(c, "heuristic-la0"), frames / 10, frames - frames / 10, count);
    }

    /**
     * The systems of {@code count} frames taken every ⌊(to − from)/count⌋ frames from frame
     * {@code from} on, integrating every frame before them so each system carries its real previous
     * phases; oracle derivatives and the given weights.
     *
     * @throws IllegalArgumentException if [from, to) holds fewer than {@code count} frames of the signal
     */
    public static List<FrameSystem> frames(float[] signal, StftConfig c, LsParams params, int from, int to, int count) {
        Spectrogram s = Stft.analyse(signal, c);
        int last = Math.min(to, s.frames());
        if (count < 1 || from < 0 || last - from < count) {
            throw new IllegalArgumentException("the signal has " + Math.max(0, last - from) + " usable frames at FFT "
                    + c.fftSize() + ", asked for " + count + " systems");
        }
        int n = c.bins();
        float[][] m = s.magnitude();
        OracleDerivatives od = new OracleDerivatives(s);
        LsIntegrator integ = new LsIntegrator(c, params.delta());
        float[] dtF = new float[n];
        float[] dfF = new float[n - 1];
        float[] magF = new float[n];
        double[] mag = new double[n];
        double[] prev = new double[n];
        double[] dt = new double[n];
        double[] df = new double[n - 1];
        double[] lambda = new double[n];
        double[] gamma = new double[n - 1];
        double[] phase = new double[n];
        int stride = Math.max(1, (last - from) / count);
        List<FrameSystem> out = new ArrayList<>();
        for (int t = 0; t < last && out.size() < count; t++) {
            od.push(m[t], dtF, dfF, magF);
            for (int k = 0; k < n; k++) {
                mag[k] = magF[k];
                dt[k] = dtF[k];
            }
            for (int k = 0; k + 1 < n; k++) {
                df[k] = dfF[k];
            }
            LsWeights.compute(mag, prev, params, lambda, gamma);
            integ.integrate(mag, phase, dt, df, lambda, gamma, phase);
            System.arraycopy(mag, 0, prev, 0, n);
            if (t >= from && (t - from) % stride == 0) {
                FrameSystem sys = new FrameSystem(
                        new double[n], new double[n - 1], new double[n - 1], new double[n], new double[n]);
                integ.copySystem(sys.diag(), sys.eRe(), sys.eIm(), sys.bRe(), sys.bIm());
                out.add(sys);
            }
        }
        return out;
    }
}
