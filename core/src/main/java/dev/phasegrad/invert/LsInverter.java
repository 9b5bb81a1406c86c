package dev.phasegrad.invert;

import dev.phasegrad.derivatives.DerivativeEstimator;
import dev.phasegrad.derivatives.HeuristicDerivatives;
import dev.phasegrad.derivatives.OracleDerivatives;
import dev.phasegrad.derivatives.PhasorDerivativeEstimator;
import dev.phasegrad.integrate.HermitianTridiagonalSolver;
import dev.phasegrad.integrate.LsDefaults;
import dev.phasegrad.integrate.LsIntegrator;
import dev.phasegrad.integrate.LsParams;
import dev.phasegrad.integrate.LsWeights;
import dev.phasegrad.integrate.TridiagonalSolver;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.StftConfig;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Phase from phase derivatives: any {@link DerivativeEstimator} (oracle, heuristic, network)
 * followed by the per-frame weighted least-squares integration of {@link LsIntegrator}, with the
 * weights of {@link LsWeights}. Look-ahead is the estimator's.
 *
 * <p>Push of magnitude frame t hands it to the estimator; when the estimator returns frame
 * t − lookahead(), that frame's phase is integrated from the previous output frame's phase and
 * magnitude (zeros before the first frame) and written with the estimator's magnitude.
 * DC and Nyquist, real for a real signal, keep a phase of 0 or π whatever the estimator says (see
 * the note above {@code realBinsTimePhasors}), so a constant offset stays constant.
 * One instance per stream; not thread safe; push allocates nothing.
 */
public final class LsInverter implements StreamingInverter {
    private final String name;
    private final DerivativeEstimator estimator;
    private final LsParams params;
    private final LsIntegrator integrator;
    private final int bins;
    private final float[] dtF;
    private final float[] dfF;
    private final float[] magF;
    private final double[] mag;
    private final double[] prevMag;
    private final double[] dt;
    private final double[] df;
    private final double[] lambda;
    private final double[] gamma;
    /** e^{iψ} of the last output frame (1 before the first): the stream's state, never an angle. */
    private final PhasorDerivativeEstimator phasorEstimator; // the estimator, when it offers phasors

    private final double[] dtCos;
    private final double[] dtSin;
    private final double[] dfCos;
    private final double[] dfSin;
    private final double[] phasorRe;
    private final double[] phasorIm;

    /** With the O(K) tridiagonal solver. */
    public LsInverter(String name, DerivativeEstimator estimator, LsParams params) {
        this(name, estimator, params, new TridiagonalSolver(estimator.config().bins()));
    }

    /**
     * @param name      method name for reports, e.g. {@code ls-oracle}, {@code ls-heuristic}, {@code proposed}
     * @param estimator source of the phase derivatives; owned by this inverter from now on
     * @param params    LS weights, e.g. {@link LsDefaults#forSource}
     * @param solver    solver for the per-frame system (capacity ≥ N/2+1)
     */
    public LsInverter(String name, DerivativeEstimator estimator, LsParams params, HermitianTridiagonalSolver solver) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("inverter name must not be blank");
        }
        this.name = name;
        this.estimator = estimator;
        this.params = params;
        StftConfig c = estimator.config();
        this.integrator = new LsIntegrator(c, params.delta(), solver);
        this.bins = c.bins();
        dtF = new float[bins];
        dfF = new float[bins - 1];
        magF = new float[bins];
        mag = new double[bins];
        prevMag = new double[bins];
        dt = new double[bins];
        df = new double[bins - 1];
        phasorEstimator = estimator instanceof PhasorDerivativeEstimator p ? p : null;
        dtCos = new double[bins];
        dtSin = new double[bins];
        dfCos = new double[bins - 1];
        dfSin = new double[bins - 1];
        lambda = new double[bins];
        gamma = new double[bins - 1];
        phasorRe = new double[bins];
        phasorIm = new double[bins];
        Arrays.fill(phasorRe, 1);
    }

    /** {@code ls-oracle}: true derivatives of {@code truth}, weights from {@link LsDefaults} (source "oracle"). */
    public static LsInverter oracle(Spectrogram truth) {
        return new LsInverter(
                "ls-oracle", new OracleDerivatives(truth), LsDefaults.forSource(truth.config(), "oracle"));
    }

    /**
     * {@code ls-heuristic} (look-ahead 0) or {@code ls-heuristic-la1} (look-ahead 1): PGHI-relation
     * derivatives from the magnitudes ({@link HeuristicDerivatives}), weights from {@link LsDefaults}
     * (source {@code heuristic-la0} / {@code heuristic-la1}).
     */
    public static LsInverter heuristic(StftConfig config, int lookahead) {
        return new LsInverter(
                lookahead == 0 ? "ls-heuristic" : "ls-heuristic-la" + lookahead,
                new HeuristicDerivatives(config, lookahead),
                LsDefaults.forSource(config, "heuristic-la" + lookahead));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StftConfig config() {
        return estimator.config();
    }

    @Override
    public int lookahead() {
        return estimator.lookahead();
    }

    /** The derivative source (shared state: pushing to it directly disturbs this inverter's stream). */
    public DerivativeEstimator estimator() {
        return estimator;
    }

    public LsParams params() {
        return params;
    }

    @Override
    public boolean push(float[] magnitude, float[] outRe, float[] outIm) {
        if (phasorEstimator != null) {
            // the derivatives as unit phasors: no angle is formed and no cos/sin taken of one
            if (!phasorEstimator.pushPhasors(magnitude, dtCos, dtSin, dfCos, dfSin, magF)) {
                return false;
            }
            for (int k = 0; k < bins; k++) {
                mag[k] = magF[k];
            }
            realBinsTimePhasors();
            LsWeights.compute(mag, prevMag, params, lambda, gamma);
            integrator.integrateUnitPhasors(
                    mag, phasorRe, phasorIm, dtCos, dtSin, dfCos, dfSin, lambda, gamma, phasorRe, phasorIm);
        } else {
            if (!estimator.push(magnitude, dtF, dfF, magF)) {
                return false;
            }
            for (int k = 0; k < bins; k++) {
                mag[k] = magF[k];
                dt[k] = dtF[k];
            }
            for (int k = 0; k + 1 < bins; k++) {
                df[k] = dfF[k];
            }
            realBinsTimeAngles();
            LsWeights.compute(mag, prevMag, params, lambda, gamma);
            // phasors rather than angles: no atan2 per bin, and no cos/sin to synthesise
            integrator.integrateUnit(mag, phasorRe, phasorIm, dt, df, lambda, gamma, phasorRe, phasorIm);
        }
        snapReal(0);
        snapReal(bins - 1);
        for (int k = 0; k < bins; k++) {
            outRe[k] = (float) (mag[k] * phasorRe[k]);
            outIm[k] = (float) (mag[k] * phasorIm[k]);
        }
        System.arraycopy(mag, 0, prevMag, 0, bins);
        return true;
    }

    /*
     * DC and Nyquist. The STFT of a real signal is real at bins 0 and N/2 (the DC bin sums real samples;
     * the Nyquist bin alternates signs about an integer time reference), so their phase is 0 or π and
     * their true time derivative is 0 or π too (the bin advance is 0 or π there, and only a change of
     * sign moves the phase). Nothing in the least-squares system knows this: a time derivative off
     * {0, π} (the networks were never taught to hold these bins still), or a frequency term pulling
     * u_0 towards a rotating bin 1 (the heuristic's case, where bin 1 borders exact zeros), lets the
     * phase θ of the bin drift, and a constant offset c comes out as c·cos θ: a slow swing between
     * +c and −c. Both values are therefore projected onto what a
     * real bin can have: the time derivative onto the nearer of {0, π}, before the solve, so that the
     * previous sign is kept unless the estimator says the sign flipped; and the solution onto the
     * nearer of ±1 (the sign of Re u), which is the real value closest to the least-squares optimum
     * and, with the projected derivative, continues the previous frame's sign when the frequency
     * terms do not overrule it. Which sign an offset gets where it starts is the least-squares
     * solution's: x and −x have the same magnitudes, so the polarity is not in the input and no rule
     * could recover it; what the projections guarantee is that it does not wander while the offset
     * lasts.
     */
    private void realBinsTimePhasors() {
        snapTimePhasor(0);
        snapTimePhasor(bins - 1);
    }

    private void snapTimePhasor(int k) {
        double c = dtCos[k];
        if (c - c == 0 && dtSin[k] - dtSin[k] == 0) { // a missing (non-finite) derivative stays missing
            dtCos[k] = c >= 0 ? 1 : -1;
            dtSin[k] = 0;
        }
    }

    private void realBinsTimeAngles() {
        snapTimeAngle(0);
        snapTimeAngle(bins - 1);
    }

    private void snapTimeAngle(int k) {
        double d = dt[k];
        if (Double.isFinite(d)) {
            dt[k] = Math.cos(d) >= 0 ? 0 : Math.PI;
        }
    }

    private void snapReal(int k) {
        phasorRe[k] = phasorRe[k] >= 0 ? 1 : -1;
        phasorIm[k] = 0;
    }

    /** The estimator's state, then the previous output frame's magnitude (floats) and phasor (doubles). */
    @Override
    public int stateBytes() {
        return estimator.stateBytes() + bins * (Float.BYTES + 2 * Double.BYTES);
    }

    @Override
    public void saveState(ByteBuffer out) {
        estimator.saveState(out);
        // prevMag holds float magnitudes widened to double: stored as floats, exactly
        for (int k = 0; k < bins; k++) {
            out.putFloat((float) prevMag[k]);
        }
        for (int k = 0; k < bins; k++) {
            out.putDouble(phasorRe[k]);
        }
        for (int k = 0; k < bins; k++) {
            out.putDouble(phasorIm[k]);
        }
    }

    @Override
    public void restoreState(ByteBuffer in) {
        try {
            estimator.restoreState(in);
        } catch (IllegalArgumentException e) {
            reset();
            throw e;
        }
        for (int k = 0; k < bins; k++) {
            prevMag[k] = in.getFloat();
        }
        for (int k = 0; k < bins; k++) {
            phasorRe[k] = in.getDouble();
        }
        for (int k = 0; k < bins; k++) {
            phasorIm[k] = in.getDouble();
        }
    }

    @Override
    public void reset() {
        estimator.reset();
        Arrays.fill(prevMag, 0);
        Arrays.fill(phasorRe, 1);
        Arrays.fill(phasorIm, 0);
    }
}
