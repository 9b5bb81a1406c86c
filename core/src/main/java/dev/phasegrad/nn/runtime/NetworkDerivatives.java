package dev.phasegrad.nn.runtime;

import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.InputFeatures;
import dev.phasegrad.derivatives.PhasorDerivativeEstimator;
import dev.phasegrad.stft.StftConfig;
import java.nio.ByteBuffer;

/**
 * Phase derivatives predicted by a {@link PhaseModel} from magnitudes, for the least-squares
 * integrator. With a stride-1 model (kind "proposed", "prior-sota") the network runs on every frame
 * and {@link #lookahead()} is 0. With a stride-2 model ("proposed-strided") it runs on every second
 * frame, seeing one frame of look-ahead, and one run serves two frames: {@link #lookahead()} is 1.
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
        return true;
    }

    /** The heads' (cos, sin) normalised: no atan2 here and no cos/sin in the LS integration. */
    @Override
    public boolean pushPhasors(float[] magnitude, double[] dtCos, double[] dtSin, double[] dfCos, double[] dfSin,
                               float[] outMagnitude) {
        int slot = advance(magnitude, outMagnitude);
        if (slot < 0) {
            return false;
        }
        runner.phasors(slot, dtCos, dtSin, dfCos, dfSin);
        return true;
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
