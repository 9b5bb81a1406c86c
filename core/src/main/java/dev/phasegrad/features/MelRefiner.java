package dev.phasegrad.features;

import dev.phasegrad.nn.InputFeatures;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.runtime.ModelRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Log-mel features to a linear magnitude frame, better than NNLS alone: the NNLS estimate of
 * {@link MelInversion} corrected, bin by bin, by a tiny causal network trained to predict the true
 * log-magnitude from it (a {@link PhaseModel} of kind {@value #KIND} with one
 * {@link dev.phasegrad.nn.HeadSpec.Target#LOG_MAGNITUDE} head).
 *
 * <p>Per frame t:
 * <ol>
 *   <li>n = NNLS magnitude of the frame's features ({@link PhaseModel#nnlsIterations()} FISTA
 *       iterations, as in training).</li>
 *   <li>L = ln(max(n, relativeFloor · max n, absoluteFloor)), the model's {@link InputFeatures}
 *       (bins NNLS leaves at zero, e.g. above fMax, sit at the floor, −80 dB below the frame's peak
 *       by default).</li>
 *   <li>Input channel i = (L of frame t − i − mean over bins of L of frame t) · scale, for i = 0 …
 *       inputFrames − 1: the current frame and past ones only (no look-ahead, no added latency);
 *       frames before the stream's start count as silence.</li>
 *   <li>The network (convolutions along frequency, {@link ModelRunner}) gives δ per bin, and the
 *       refined magnitude is exp(L + δ) ≥ 0: a residual on the NNLS log-magnitude, so an untrained
 *       (zero) head gives back the floored NNLS magnitude.</li>
 * </ol>
 *
 * <p>The refiner is immutable and shared across threads; {@link #newWorker()} gives one stream's state
 * (the last inputFrames floored log frames and their means) and scratch, used without allocating.
 */
public final class MelRefiner implements MelToMagnitude {
    /** The model kind of a mel refiner's file. */
    public static final String KIND = "mel-refiner";
    /** Where built-in refiners live on the class path: {@code mel-refiner-<preset>.pgnn}. */
    public static final String RESOURCE_PREFIX = PhaseModel.RESOURCE_DIR + KIND + "-";

    /**
     * Shipped refiners by preset, made on first use: a refiner is immutable, and making one (reading
     * the model, NNLS's pseudo-inverse) costs far more than a stream's start should.
     */
    private static final Map<String, MelRefiner> BUILTIN = new ConcurrentHashMap<>();

    private final PhaseModel model;
    private final FeatureSpec spec;
    private final MelInversion nnls;

    /**
     * A refiner of a trained model.
     *
     * @param model a model of kind {@value #KIND}
     * @throws IllegalArgumentException if {@code model} is not a mel refiner
     */
    public MelRefiner(PhaseModel model) {
        if (!model.refinesMagnitude()) {
            throw new IllegalArgumentException(
                    "model '" + model.kind() + "' is a phase-derivative model, not a mel refiner");
        }
        this.model = model;
        this.spec = model.melFeatures();
        this.nnls = new MelInversion(spec, new MelFilterbank(spec), model.nnlsIterations());
    }

    /**
     * Reads a refiner from a model file ({@code phasegrad train --kind mel-refiner}).
     *
     * @param file the {@code .pgnn} file
     * @return the refiner
     * @throws IOException if the file is unreadable, corrupt, or holds a phase-derivative model
     */
    public static MelRefiner read(Path file) throws IOException {
        PhaseModel m = PhaseModel.read(file);
        if (!m.refinesMagnitude()) {
            throw new IOException(file + ": model '" + m.kind() + "' is a phase-derivative model, not a mel refiner");
        }
        return new MelRefiner(m);
    }

    /**
     * The refiner shipped for a feature preset ({@code hifigan}, {@code vocos}).
     *
     * @param preset the preset's name
     * @return the refiner, made once per process and shared
     * @throws IllegalArgumentException when none is shipped for it
     */
    public static MelRefiner builtin(String preset) {
        return BUILTIN.computeIfAbsent(preset, MelRefiner::load);
    }

    /** Reads a shipped refiner; only {@link #builtin(String)} calls it, once per preset. */
    private static MelRefiner load(String preset) {
        String name = RESOURCE_PREFIX + preset + ".pgnn";
        try (InputStream in = MelRefiner.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no built-in mel refiner for features '" + preset + "' (looked for "
                        + name + "); pass a trained model file instead");
            }
            return new MelRefiner(PhaseModel.read(in, name));
        } catch (IOException e) {
            throw new IllegalStateException("built-in mel refiner " + name + " is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * The refiner shipped for exactly this front end, if any: a preset's refiner serves only features
     * computed as the preset computes them.
     *
     * @param spec the front end
     * @return the built-in refiner trained on {@code spec}'s features, or empty
     */
    public static Optional<MelRefiner> builtin(FeatureSpec spec) {
        if (MelRefiner.class.getResource(RESOURCE_PREFIX + spec.name() + ".pgnn") == null) {
            return Optional.empty();
        }
        MelRefiner r = builtin(spec.name());
        return r.spec().equals(spec) ? Optional.of(r) : Optional.empty();
    }

    /** {@return the network and what it was trained on} */
    public PhaseModel model() {
        return model;
    }

    /** {@return the log-mel features this refiner reads} */
    @Override
    public FeatureSpec spec() {
        return spec;
    }

    /** {@return the NNLS stage (shared, immutable)} */
    public MelInversion nnls() {
        return nnls;
    }

    /** {@return scratch and state for one stream or thread} */
    @Override
    public Worker newWorker() {
        return new Worker();
    }

    /** One stream's causal context and scratch; not thread safe. */
    public final class Worker implements MelToMagnitude.Worker {
        private final MelInversion.Worker inversion = nnls.newWorker();
        private final ModelRunner runner = new ModelRunner(model);
        private final InputFeatures features = model.features();
        private final int bins = spec.bins();
        private final int frames = model.inputFrames();
        private final float[][] logRing = new float[frames][bins];
        private final float[] meanRing = new float[frames];
        private final float[][] logView = new float[frames][];
        private final float[] meanView = new float[frames];
        private final float[][] input = new float[frames][bins];
        private final float[] nnlsFrame = new float[bins];
        private final float[] silenceLog = new float[bins];
        private final float silenceMean = features.logFrame(new float[bins], bins, silenceLog);
        private long pushed;

        private Worker() {
            reset();
        }

        /**
         * The next frame of the stream: features (the spec's log-mel, {@code bands} values) to a refined
         * linear magnitude frame ({@code bins} values, ≥ 0). The caller validates the features (finite).
         */
        @Override
        public void magnitude(float[] logMel, float[] magnitudeOut) {
            inversion.magnitude(logMel, nnlsFrame);
            int slot = (int) (pushed % frames);
            float[] log = logRing[slot];
            meanRing[slot] = features.logFrame(nnlsFrame, bins, log);
            for (int i = 0; i < frames; i++) {
                int s = (int) Math.floorMod(pushed - i, (long) frames);
                logView[i] = logRing[s];
                meanView[i] = meanRing[s];
            }
            pushed++;
            features.inputRows(logView, meanView, frames, bins, input);
            runner.run(input);
            float[] delta = runner.values();
            for (int k = 0; k < bins; k++) {
                magnitudeOut[k] = (float) Math.exp(log[k] + delta[k]);
            }
        }

        /** The frames remembered (floored log NNLS frames and their means) and the frame count. */
        @Override
        public int stateBytes() {
            return 4 + 4 + 8 + 4 * frames * (bins + 1);
        }

        @Override
        public void saveState(ByteBuffer out) {
            out.putInt(frames).putInt(bins).putLong(pushed);
            for (int i = 0; i < frames; i++) {
                out.putFloat(meanRing[i]);
                for (int k = 0; k < bins; k++) {
                    out.putFloat(logRing[i][k]);
                }
            }
        }

        @Override
        public void restoreState(ByteBuffer in) {
            int f = in.getInt();
            int b = in.getInt();
            if (f != frames || b != bins) {
                throw new IllegalArgumentException("the mel refiner's state is for " + f + " frames of " + b
                        + " bins, this refiner keeps " + frames + " of " + bins);
            }
            long p = in.getLong();
            if (p < 0) {
                throw new IllegalArgumentException("the mel refiner's state has a negative frame count " + p);
            }
            for (int i = 0; i < frames; i++) {
                meanRing[i] = in.getFloat();
                for (int k = 0; k < bins; k++) {
                    logRing[i][k] = in.getFloat();
                }
            }
            pushed = p;
        }

        /** {@return the NNLS magnitude of the last frame, before refinement (this worker's buffer)} */
        public float[] lastNnls() {
            return nnlsFrame;
        }

        /** Forgets the stream: the next frame is the first (earlier frames count as silence). */
        @Override
        public void reset() {
            pushed = 0;
            for (int i = 0; i < frames; i++) {
                System.arraycopy(silenceLog, 0, logRing[i], 0, bins);
                meanRing[i] = silenceMean;
            }
        }
    }
}
