package dev.phasegrad.derivatives;

import dev.phasegrad.stft.StftConfig;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Phase derivatives estimated from magnitudes alone with the PGHI relations ({@link MagnitudeGradients}),
 * in the definitions of {@link PhaseDerivatives}. This is what RTPGHI and PGHI integrate, and the
 * derivative-free baseline for the least-squares integrator.
 *
 * <ul>
 *   <li>Δt(t,k): trapezoid of the frequency-direction log-magnitude gradients of frames t−1 and t
 *       (centred differences across bins).</li>
 *   <li>Δf(t,k): trapezoid over bins k, k+1 of the time-direction log-magnitude gradient of frame t,
 *       taken by a second-order backward difference over frames t−2…t with look-ahead 0 (causal), or a
 *       centred difference over frames t−1, t+1 with look-ahead 1.</li>
 * </ul>
 * (The first-order backward difference correlates about as well with the true Δf on speech, 0.866
 * against 0.860 at 512/128 and 0.808 against 0.819 at 1024/256, but it lags by half a frame: in
 * RTPGHI(0) it cost 1.1 dB of spectral convergence at 512/128 and 2.3 dB at 1024/256.)
 * Frames before the start of the stream count as digital silence. The log floor is
 * {@code relativeFloor} times the largest magnitude among the frames entering one estimate, so it is
 * common to both ends of every difference.
 *
 * <p>Push of frame t writes the estimates for frame t − lookahead(); with look-ahead 1 the first push
 * returns false. Magnitudes must be finite and non-negative. Allocation-free after construction;
 * one instance per stream; not thread safe.
 */
public final class HeuristicDerivatives implements DerivativeEstimator {
    private static final int SLOTS = 3;

    private final StftConfig config;
    private final MagnitudeGradients gradients;
    private final int lookahead;
    private final double relativeFloor;
    private final int bins;

    private final double[][] rawLog = new double[SLOTS][];
    private final float[][] magnitudes = new float[SLOTS][];
    private final float[] frameMax = new float[SLOTS];
    private final double[] logPrev2;
    private final double[] logPrev;
    private final double[] logCur;
    private final double[] logNext;
    private final double[] devPrev;
    private final double[] devCur;
    private final double[] dLog;
    private final double[] slope;
    private long pushed;

    /** Estimator with {@link MagnitudeGradients#DEFAULT_RELATIVE_FLOOR}. */
    public HeuristicDerivatives(StftConfig config, int lookahead) {
        this(config, lookahead, MagnitudeGradients.DEFAULT_RELATIVE_FLOOR);
    }

    /**
     * @param config        STFT settings (Hann window assumed for λ)
     * @param lookahead     0 (causal) or 1 frame
     * @param relativeFloor log floor relative to the local maximum magnitude, in (0, 1)
     */
    public HeuristicDerivatives(StftConfig config, int lookahead, double relativeFloor) {
        if (lookahead != 0 && lookahead != 1) {
            throw new IllegalArgumentException("heuristic derivatives support look-ahead 0 or 1, got " + lookahead);
        }
        if (!(relativeFloor > 0 && relativeFloor < 1)) {
            throw new IllegalArgumentException("relative log floor must be in (0, 1), got " + relativeFloor);
        }
        this.config = config;
        this.gradients = new MagnitudeGradients(config);
        this.lookahead = lookahead;
        this.relativeFloor = relativeFloor;
        this.bins = config.bins();
        for (int s = 0; s < SLOTS; s++) {
            rawLog[s] = new double[bins];
            magnitudes[s] = new float[bins];
        }
        logPrev2 = new double[bins];
        logPrev = new double[bins];
        logCur = new double[bins];
        logNext = new double[bins];
        devPrev = new double[bins];
        devCur = new double[bins];
        dLog = new double[bins];
        slope = new double[bins];
        reset();
    }

    @Override
    public StftConfig config() {
        return config;
    }

    @Override
    public int lookahead() {
        return lookahead;
    }

    /** The log floor relative to the local maximum magnitude. */
    public double relativeFloor() {
        return relativeFloor;
    }

    @Override
    public void reset() {
        for (int s = 0; s < SLOTS; s++) {
            Arrays.fill(rawLog[s], Double.NEGATIVE_INFINITY);
            Arrays.fill(magnitudes[s], 0f);
            frameMax[s] = 0f;
        }
        pushed = 0;
    }

    /**
     * Pushes magnitude frame t ({@code N/2+1} values); when it returns true it has written Δt
     * ({@code outDt[0..N/2]}, radians per frame), Δf ({@code outDf[0..N/2−1]}, radians per bin) and the
     * magnitude of frame t − lookahead() into {@code outMagnitude[0..N/2]}. The frame is not checked
     * here: callers validate it once at their boundary (see {@code invert.MagnitudeChecks}).
     */
    @Override
    public boolean push(float[] magnitude, float[] outDt, float[] outDf, float[] outMagnitude) {
        int slot = (int) (pushed % SLOTS);
        System.arraycopy(magnitude, 0, magnitudes[slot], 0, bins);
        frameMax[slot] = MagnitudeGradients.logAndMax(magnitude, rawLog[slot]);
        pushed++;
        if (pushed <= lookahead) {
            return false;
        }
        long t = pushed - 1;
        int cur = slotOf(t - lookahead);
        int prev = slotOf(t - lookahead - 1);
        // look-ahead 1: the third slot holds frame u+1; look-ahead 0: frame u−2
        int third = lookahead == 1 ? slotOf(t) : slotOf(t - 2);
        double reference = Math.max(frameMax[cur], Math.max(frameMax[prev], frameMax[third]));
        double logFloor = MagnitudeGradients.logFloor(reference, relativeFloor);
        MagnitudeGradients.floor(rawLog[prev], logFloor, logPrev);
        MagnitudeGradients.floor(rawLog[cur], logFloor, logCur);
        gradients.advanceDeviation(logPrev, devPrev);
        gradients.advanceDeviation(logCur, devCur);
        MagnitudeGradients.trapezoidTime(devPrev, devCur, outDt);
        if (lookahead == 1) {
            MagnitudeGradients.floor(rawLog[third], logFloor, logNext);
            MagnitudeGradients.centredDifference(logNext, logPrev, dLog);
        } else {
            MagnitudeGradients.floor(rawLog[third], logFloor, logPrev2);
            MagnitudeGradients.backwardDifference2(logCur, logPrev, logPrev2, dLog);
        }
        gradients.frequencySlope(dLog, slope);
        MagnitudeGradients.trapezoidFrequency(slope, outDf);
        System.arraycopy(magnitudes[cur], 0, outMagnitude, 0, bins);
        return true;
    }

    /**
     * The frame counter and the last three magnitude frames (floats); their logs and maxima are
     * recomputed on restore by the same code that made them, so they come back bit for bit.
     */
    @Override
    public int stateBytes() {
        return Long.BYTES + SLOTS * bins * Float.BYTES;
    }

    @Override
    public void saveState(ByteBuffer out) {
        out.putLong(pushed);
        for (int s = 0; s < SLOTS; s++) {
            for (int k = 0; k < bins; k++) {
                out.putFloat(magnitudes[s][k]);
            }
        }
    }

    @Override
    public void restoreState(ByteBuffer in) {
        long n = in.getLong();
        for (int s = 0; s < SLOTS; s++) {
            for (int k = 0; k < bins; k++) {
                magnitudes[s][k] = in.getFloat();
            }
        }
        if (n < 0) {
            reset();
            throw new IllegalArgumentException("heuristic derivatives state: frame counter " + n + " is negative");
        }
        pushed = n;
        for (int s = 0; s < SLOTS; s++) {
            frameMax[s] = MagnitudeGradients.logAndMax(magnitudes[s], rawLog[s]);
        }
    }

    /** Slot of frame f; frames before the stream start map to a slot that still holds silence. */
    private int slotOf(long f) {
        return (int) Math.floorMod(f, (long) SLOTS);
    }

    /**
     * Estimates for a whole magnitude spectrogram, frame-aligned, draining the look-ahead with one silent
     * frame. Resets this estimator before and after.
     *
     * @param magnitude [frames][N/2+1]
     * @param outDt     [frames][N/2+1], radians per frame
     * @param outDf     [frames][N/2], radians per bin
     */
    public void estimate(float[][] magnitude, float[][] outDt, float[][] outDf) {
        reset();
        float[] silence = new float[bins];
        float[] magOut = new float[bins];
        int out = 0;
        for (int t = 0; t < magnitude.length + lookahead; t++) {
            if (push(t < magnitude.length ? magnitude[t] : silence, outDt[out], outDf[out], magOut)) {
                out++;
            }
        }
        reset();
    }
}
