package dev.phasegrad.nn.runtime;

import dev.phasegrad.derivatives.MagnitudeGradients;
import dev.phasegrad.derivatives.PhasorDerivativeEstimator;
import dev.phasegrad.nn.InputFeatures;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.StftConfig;
import java.nio.ByteBuffer;

/**
 * Phase derivatives predicted by a {@link PhaseModel} from magnitudes, for the least-squares
 * integrator. With a stride-1 model (kind "proposed", "prior-sota") the network runs on every frame
 * and {@link #lookahead()} is 0. With a stride-2 model ("proposed-strided") it runs on every second
 * frame, seeing one frame of look-ahead, and one run serves two frames: {@link #lookahead()} is 1.
 *
 * <p><b>Degenerate input.</b> Where a bin within 40 dB of the frame's peak has, within {@value #LOBE}
 * bins, a magnitude at the input's log floor (exact zeros, or more than
 * {@link InputFeatures#relativeFloor()} below the peak), the network's estimates for it are replaced by
 * the PGHI-relation estimates of
 * {@link dev.phasegrad.derivatives.HeuristicDerivatives} (the same rules, computed from the same floored
 * log-magnitudes the network reads, floored once more at a level common to the frames of each
 * difference). Speech almost never puts a loud Hann main lobe (±2 bins) next to digital zeros, so the
 * models hardly saw such input, and they answer it badly: a sinusoid exactly at a bin centre (1 kHz at 16 kHz with
 * N = 1024: all its energy in bins 63–65, exact zeros elsewhere) came out 5 Hz off with its three
 * bins out of phase (spectral convergence −11.7 dB, 0.7 dB level loss, against −28 dB from the
 * heuristic alone). A DC offset (bins 0 and 1) is the same case. Speech reaches the floor only in
 * deep nulls of its quiet bands, next to bins whose LS weights (∝ m^(2p+2)) are negligible; the 40 dB
 * gate keeps the substitution out of those (on the embedded clips it acts on 1–2 bins in under 2 % of
 * the frames instead of 30 bins in most). The heuristic is computed only in
 * frames that have such bins and needs three input frames (every built-in model has four or five);
 * a model with fewer keeps its own estimates everywhere. Input near this case is not caught: the same
 * tone with white noise 40 dB down, or 1/32 bin off centre, stays weaker with the network than with
 * the heuristic (README, Limitations).
 *
 * <p>Push allocates nothing. One instance per stream, not thread safe; the model is shared.
 */
public final class NetworkDerivatives implements PhasorDerivativeEstimator {
    private final PhaseModel model;
    private final StftConfig config;
    private final InputFeatures features;
    private final ModelRunner runner;
    private final int bins;
    private final int frames;
    private final int stride;
    private final float[][] logRing;
    private final float[] meanRing;
    private final float[][] magRing;
    private final float[][] logView;
    private final float[] meanView;
    private final float[][] input;
    private final float[] silenceLog;
    private final float silenceMean;
    private long pushed;
    /** Frame index of the output the last push produced. */
    private long outFrame;

    /** Half-width in bins of the Hann main lobe: how far floored input makes a bin's estimate unreliable. */
    static final int LOBE = 2;
    /** Bins quieter than this fraction of the frame's peak (−40 dB) are never substituted. */
    static final float LOUD = 0.01f;

    private final MagnitudeGradients gradients;
    private final boolean guarded;
    private final boolean[] degenerate;
    private final double[] hLogOld;
    private final double[] hLogPrev;
    private final double[] hLogCur;
    private final double[] hLogNext;
    private final double[] hDevPrev;
    private final double[] hDevCur;
    private final double[] hDLog;
    private final double[] hSlope;
    private final float[] hDt;
    private final float[] hDf;

    /** Estimator for the model's own STFT settings. */
    public NetworkDerivatives(PhaseModel model) {
        this(model, model.config());
    }

    /**
     * @throws IllegalArgumentException if the model was trained for other STFT settings than {@code config}
     */
    public NetworkDerivatives(PhaseModel model, StftConfig config) {
        model.requirePhaseModel();
        model.requireConfig(config);
        this.model = model;
        this.config = config;
        this.features = model.features();
        this.runner = new ModelRunner(model);
        this.bins = config.bins();
        this.frames = model.inputFrames();
        this.stride = model.stride();
        this.logRing = new float[frames][bins];
        this.meanRing = new float[frames];
        this.magRing = new float[model.lookahead() + 1][bins];
        this.logView = new float[frames][];
        this.meanView = new float[frames];
        this.input = new float[frames][bins];
        this.silenceLog = new float[bins];
        this.silenceMean = features.logFrame(new float[bins], bins, silenceLog);
        this.gradients = new MagnitudeGradients(config);
        this.guarded = frames >= 3;
        this.degenerate = new boolean[bins];
        this.hLogOld = new double[bins];
        this.hLogPrev = new double[bins];
        this.hLogCur = new double[bins];
        this.hLogNext = new double[bins];
        this.hDevPrev = new double[bins];
        this.hDevCur = new double[bins];
        this.hDLog = new double[bins];
        this.hSlope = new double[bins];
        this.hDt = new float[bins];
        this.hDf = new float[bins - 1];
        reset();
    }

    /** The built-in model of that kind for {@code config}, see {@link PhaseModel#builtin}. */
    public static NetworkDerivatives builtin(String kind, StftConfig config) {
        return new NetworkDerivatives(PhaseModel.builtin(kind, config), config);
    }

    public PhaseModel model() {
        return model;
    }

    @Override
    public StftConfig config() {
        return config;
    }

    @Override
    public int lookahead() {
        return model.lookahead();
    }

    @Override
    public boolean push(float[] magnitude, float[] outDt, float[] outDf, float[] outMagnitude) {
        int slot = advance(magnitude, outMagnitude);
        if (slot < 0) {
            return false;
        }
        System.arraycopy(runner.dt(slot), 0, outDt, 0, bins);
        System.arraycopy(runner.df(slot), 0, outDf, 0, bins - 1);
        if (guarded && markDegenerate(outMagnitude)) {
            heuristicFromRing();
            for (int k = 0; k < bins; k++) {
                if (degenerate[k]) {
                    outDt[k] = hDt[k];
                }
                if (k + 1 < bins && (degenerate[k] || degenerate[k + 1])) {
                    outDf[k] = hDf[k];
                }
            }
        }
        return true;
    }

    /** The heads' (cos, sin) normalised: no atan2 here and no cos/sin in the LS integration. */
    @Override
    public boolean pushPhasors(
            float[] magnitude, double[] dtCos, double[] dtSin, double[] dfCos, double[] dfSin, float[] outMagnitude) {
        int slot = advance(magnitude, outMagnitude);
        if (slot < 0) {
            return false;
        }
        runner.phasors(slot, dtCos, dtSin, dfCos, dfSin);
        if (guarded && markDegenerate(outMagnitude)) {
            heuristicFromRing();
            for (int k = 0; k < bins; k++) {
                if (degenerate[k]) {
                    dtCos[k] = Math.cos(hDt[k]);
                    dtSin[k] = Math.sin(hDt[k]);
                }
                if (k + 1 < bins && (degenerate[k] || degenerate[k + 1])) {
                    dfCos[k] = Math.cos(hDf[k]);
                    dfSin[k] = Math.sin(hDf[k]);
                }
            }
        }
        return true;
    }

    /**
     * Marks the bins within 40 dB of the peak ({@link #LOUD}) with a floored bin within {@link #LOBE}
     * bins (the spectrum mirrored at DC and Nyquist, as a real signal's is); true if there is any.
     */
    private boolean markDegenerate(float[] m) {
        float max = 0;
        for (int k = 0; k < bins; k++) {
            max = Math.max(max, m[k]);
        }
        // the floor InputFeatures.logFrame applies: a magnitude at or below it reaches the network as the floor
        float floor = Math.max(features.absoluteFloor(), features.relativeFloor() * max);
        float loud = Math.max(floor, LOUD * max);
        boolean any = false;
        int last = bins - 1;
        for (int k = 0; k < bins; k++) {
            boolean d = false;
            if (m[k] > loud) {
                for (int j = k - LOBE; j <= k + LOBE && !d; j++) {
                    int i = j < 0 ? -j : j > last ? 2 * last - j : j;
                    d = m[i] <= floor;
                }
            }
            degenerate[k] = d;
            any |= d;
        }
        return any;
    }

    /**
     * {@link dev.phasegrad.derivatives.HeuristicDerivatives}' estimates for the last output frame u, from
     * the ring of floored log-magnitudes: frames u−2 … u (look-ahead 0) or u−1 … u+1 (look-ahead 1), all
     * among the newest three pushed, floored again at the input's relative floor below the largest of
     * their maxima so that the floor is common to both ends of every difference.
     */
    private void heuristicFromRing() {
        boolean ahead = model.lookahead() > 0;
        long u = outFrame;
        float[] older = ringFrame(ahead ? u - 1 : u - 2);
        float[] prev = ringFrame(u - 1);
        float[] cur = ringFrame(u);
        float[] third = ahead ? ringFrame(u + 1) : older;
        float top = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < bins; k++) {
            top = Math.max(top, Math.max(Math.max(prev[k], cur[k]), third[k]));
        }
        double logFloor = Math.max(Math.log(features.absoluteFloor()), Math.log(features.relativeFloor()) + top);
        floorInto(prev, logFloor, hLogPrev);
        floorInto(cur, logFloor, hLogCur);
        gradients.advanceDeviation(hLogPrev, hDevPrev);
        gradients.advanceDeviation(hLogCur, hDevCur);
        MagnitudeGradients.trapezoidTime(hDevPrev, hDevCur, hDt);
        if (ahead) {
            floorInto(third, logFloor, hLogNext);
            MagnitudeGradients.centredDifference(hLogNext, hLogPrev, hDLog);
        } else {
            floorInto(older, logFloor, hLogOld);
            MagnitudeGradients.backwardDifference2(hLogCur, hLogPrev, hLogOld, hDLog);
        }
        gradients.frequencySlope(hDLog, hSlope);
        MagnitudeGradients.trapezoidFrequency(hSlope, hDf);
    }

    /** The ring row of frame f (one of the newest {@code frames}; before the stream, a silent row). */
    private float[] ringFrame(long f) {
        return logRing[(int) Math.floorMod(f, (long) frames)];
    }

    private void floorInto(float[] log, double logFloor, double[] out) {
        for (int k = 0; k < bins; k++) {
            out[k] = Math.max(log[k], logFloor);
        }
    }

    /** Takes frame t in, runs the network when due; the runner's result slot of frame t − lookahead, or −1. */
    private int advance(float[] magnitude, float[] outMagnitude) {
        int slot = (int) (pushed % frames);
        meanRing[slot] = features.logFrame(magnitude, bins, logRing[slot]);
        System.arraycopy(magnitude, 0, magRing[(int) (pushed % magRing.length)], 0, bins);
        long newest = pushed;
        pushed++;
        if ((newest + 1) % stride == 0) {
            for (int i = 0; i < frames; i++) {
                int s = (int) Math.floorMod(newest - i, (long) frames);
                logView[i] = logRing[s];
                meanView[i] = meanRing[s];
            }
            features.inputRows(logView, meanView, frames, bins, input);
            runner.run(input);
        }
        long out = newest - model.lookahead();
        if (out < 0) {
            return -1;
        }
        long lastRun = newest - (newest + 1) % stride;
        outFrame = out;
        System.arraycopy(magRing[(int) (out % magRing.length)], 0, outMagnitude, 0, bins);
        return (int) (out - lastRun) + stride - 1;
    }

    /**
     * The frame counter, the log-magnitude ring of the network's input frames with their means, the
     * magnitudes awaiting output (look-ahead + 1 frames), and the runner's pending results.
     */
    @Override
    public int stateBytes() {
        return Long.BYTES + (frames * bins + frames + magRing.length * bins) * Float.BYTES + runner.stateBytes();
    }

    @Override
    public void saveState(ByteBuffer out) {
        out.putLong(pushed);
        for (float[] row : logRing) {
            for (int k = 0; k < bins; k++) {
                out.putFloat(row[k]);
            }
        }
        for (float v : meanRing) {
            out.putFloat(v);
        }
        for (float[] row : magRing) {
            for (int k = 0; k < bins; k++) {
                out.putFloat(row[k]);
            }
        }
        runner.saveState(out);
    }

    @Override
    public void restoreState(ByteBuffer in) {
        long n = in.getLong();
        for (float[] row : logRing) {
            for (int k = 0; k < bins; k++) {
                row[k] = in.getFloat();
            }
        }
        for (int i = 0; i < frames; i++) {
            meanRing[i] = in.getFloat();
        }
        for (float[] row : magRing) {
            for (int k = 0; k < bins; k++) {
                row[k] = in.getFloat();
            }
        }
        runner.restoreState(in);
        if (n < 0) {
            reset();
            throw new IllegalArgumentException("network derivatives state: frame counter " + n + " is negative");
        }
        pushed = n;
    }

    @Override
    public void reset() {
        pushed = 0;
        for (int i = 0; i < frames; i++) {
            System.arraycopy(silenceLog, 0, logRing[i], 0, bins);
            meanRing[i] = silenceMean;
        }
    }
}
