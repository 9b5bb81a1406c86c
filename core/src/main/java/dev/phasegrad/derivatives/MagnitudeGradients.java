package dev.phasegrad.derivatives;

import dev.phasegrad.stft.StftConfig;

/**
 * The PGHI relations between log-magnitude gradients and phase gradients (Průša, Balazs and
 * Søndergaard 2017; Průša and Holighaus 2017), discretised in phasegrad's frame-centred convention
 * and in the units of {@link PhaseDerivatives}. Pure functions over caller-owned arrays; the only state
 * is the configuration's constants, so one instance can be shared between threads.
 *
 * <p>For a Gaussian window {@code exp(−π t²/λ)} (t in samples) and an STFT whose phase is referenced to
 * the window centre, with τ the frame time in samples and ω the frequency in radians per sample:
 * <ul>
 *   <li>{@code ∂φ/∂τ = ω + (2π/λ) ∂ln|X|/∂ω} — the instantaneous frequency deviates from the bin
 *       frequency towards where the magnitude grows;</li>
 *   <li>{@code ∂φ/∂ω = −(λ/2π) ∂ln|X|/∂τ} — the local group delay: energy arriving later than the frame
 *       centre (magnitude growing with τ) makes the phase fall with frequency.</li>
 * </ul>
 * A periodic Hann window of L samples is treated as the Gaussian with λ = 0.25645·L² (the fit used by
 * phaseret). Per hop H and per bin 2π/N these become
 * <ul>
 *   <li>baseband phase advance over one hop: {@code (H·N/λ) · ∂ln|X|/∂k} (radians per frame);</li>
 *   <li>phase step between adjacent bins: {@code −(λ/(H·N)) · ∂ln|X|/∂t} with t in frames (radians per bin).</li>
 * </ul>
 * Both are point values at one (frame, bin); {@link #trapezoidTime} and {@link #trapezoidFrequency} turn
 * them into the step quantities Δt and Δf of {@link PhaseDerivatives} with the trapezoidal rule.
 *
 * <p>Digital silence has no logarithm. Log-magnitudes are floored at a level relative to a reference
 * maximum that the caller chooses <em>common to every frame entering one difference</em>, so a floor
 * that changes from frame to frame cannot itself produce a derivative. Next to silence the floor still
 * sets the size of the time difference, and a floor far below the signal would ask for a huge slope;
 * {@link #frequencySlope} saturates it at the largest group delay the window allows, which made the
 * results insensitive to the floor between 1e−2 and 1e−12 on speech.
 *
 * <p>λ belongs to the window (samples²) and N only sets the bin spacing, so an FFT longer than the
 * window (zero padding) is handled; windows other than Hann would need their own λ.
 */
public final class MagnitudeGradients {
    /** λ / L² for a Hann window of length L treated as a Gaussian. */
    public static final double HANN_LAMBDA_FACTOR = 0.25645;
    /** Default log floor relative to the reference maximum magnitude. */
    public static final double DEFAULT_RELATIVE_FLOOR = 1e-5;

    private final StftConfig config;
    private final double lambda;
    private final double advanceScale;
    private final double slopeScale;
    private final double maxSlope;

    public MagnitudeGradients(StftConfig config) {
        this.config = config;
        double len = config.windowLength();
        this.lambda = HANN_LAMBDA_FACTOR * len * len;
        double hn = (double) config.hop() * config.fftSize();
        this.advanceScale = hn / lambda;
        this.slopeScale = -lambda / hn;
        this.maxSlope = Math.PI * len / config.fftSize();
    }

    public StftConfig config() {
        return config;
    }

    /**
     * Natural log of the floor {@code relativeFloor · referenceMax}, never below that of
     * {@link Float#MIN_NORMAL} so digital silence (reference 0) gives a finite, common floor.
     */
    public static double logFloor(double referenceMax, double relativeFloor) {
        return Math.log(Math.max(relativeFloor * referenceMax, Float.MIN_NORMAL));
    }

    /** {@code out[k] = ln m[k]} (−∞ for zeros) over {@code m.length} bins; returns max m. */
    public static float logAndMax(float[] m, double[] out) {
        float max = 0f;
        for (int k = 0; k < m.length; k++) {
            float v = m[k];
            out[k] = Math.log(v);
            if (v > max) {
                max = v;
            }
        }
        return max;
    }

    /** {@code out[k] = max(rawLog[k], logFloor)}; safe in place. */
    public static void floor(double[] rawLog, double logFloor, double[] out) {
        for (int k = 0; k < rawLog.length; k++) {
            out[k] = Math.max(rawLog[k], logFloor);
        }
    }

    /**
     * Baseband phase advance per hop at each bin of one frame, from the centred frequency difference
     * of its log-magnitude; 0 at DC and Nyquist, where the magnitude of a real signal is even in k.
     *
     * @param logMag floored ln|X| of the frame, N/2+1 bins
     * @param out    radians per frame (not wrapped), N/2+1 bins
     */
    public void advanceDeviation(double[] logMag, double[] out) {
        int last = logMag.length - 1;
        double s = 0.5 * advanceScale;
        out[0] = 0;
        out[last] = 0;
        for (int k = 1; k < last; k++) {
            out[k] = s * (logMag[k + 1] - logMag[k - 1]);
        }
    }

    /**
     * Phase slope across frequency at each bin of one frame from the time derivative of its
     * log-magnitude, saturated at ±π·L/N: the slope is minus the delay of the bin's energy from the
     * frame centre (times 2π/N), and energy seen through the window lies within L/2 of the centre.
     * The Gaussian model has no such limit and, next to digital silence or the deep zeros of a Hann
     * window, asks for far steeper slopes that wrapping would turn into noise.
     *
     * @param dLogPerFrame ∂ln|X|/∂t in nepers per frame, N/2+1 bins (see the difference helpers)
     * @param out          radians per bin, within ±π·L/N, N/2+1 bins
     */
    public void frequencySlope(double[] dLogPerFrame, double[] out) {
        for (int k = 0; k < dLogPerFrame.length; k++) {
            out[k] = Math.max(-maxSlope, Math.min(maxSlope, slopeScale * dLogPerFrame[k]));
        }
    }

    /** Second-order backward difference {@code (3·cur − 4·prev + prev2) / 2}: causal and centred on cur. */
    public static void backwardDifference2(double[] cur, double[] prev, double[] prev2, double[] out) {
        for (int k = 0; k < cur.length; k++) {
            // differences first, so equal inputs (e.g. three floored values) give exactly 0
            out[k] = 1.5 * (cur[k] - prev[k]) - 0.5 * (prev[k] - prev2[k]);
        }
    }

    /** Centred difference {@code (next − prev) / 2}. */
    public static void centredDifference(double[] next, double[] prev, double[] out) {
        for (int k = 0; k < next.length; k++) {
            out[k] = 0.5 * (next[k] - prev[k]);
        }
    }

    /**
     * Δt of {@link PhaseDerivatives} by the trapezoidal rule over the step from frame t−1 to t.
     *
     * @param devPrev {@link #advanceDeviation} of frame t−1
     * @param devCur  {@link #advanceDeviation} of frame t
     * @param outDt   radians per frame, wrapped, N/2+1 bins
     */
    public static void trapezoidTime(double[] devPrev, double[] devCur, float[] outDt) {
        for (int k = 0; k < devCur.length; k++) {
            outDt[k] = (float) PhaseMath.princarg(0.5 * (devPrev[k] + devCur[k]));
        }
    }

    /**
     * Δf of {@link PhaseDerivatives} by the trapezoidal rule over the step from bin k to k+1.
     *
     * @param slope {@link #frequencySlope} of the frame, N/2+1 bins
     * @param outDf radians per bin, wrapped, N/2 values
     */
    public static void trapezoidFrequency(double[] slope, float[] outDf) {
        for (int k = 0; k + 1 < slope.length; k++) {
            outDf[k] = (float) PhaseMath.princarg(0.5 * (slope[k] + slope[k + 1]));
        }
    }
}
