package dev.phasegrad.features;

import java.nio.ByteBuffer;

/**
 * The mel → linear magnitude step of a mel vocoder: {@link MelInversion} (NNLS, what librosa does,
 * no state between frames) or {@link MelRefiner} (NNLS corrected by a tiny causal network, which
 * remembers the last frames). Immutable and shared across threads; {@link #newWorker()} gives one
 * stream's state and scratch.
 */
public interface MelToMagnitude {
    /** {@return the front end whose features this step reads} */
    FeatureSpec spec();

    /** {@return new state and scratch for one stream} */
    Worker newWorker();

    /**
     * The magnitudes of a whole stream of feature frames, frame by frame in order on a new worker,
     * as a stream of them would give.
     *
     * @param features frames of {@code bands} values in the spec's log, finite
     * @return one frame of {@code bins} magnitudes per feature frame
     */
    default float[][] magnitudes(float[][] features) {
        Worker w = newWorker();
        float[][] out = new float[features.length][spec().bins()];
        for (int t = 0; t < features.length; t++) {
            w.magnitude(features[t], out[t]);
        }
        return out;
    }

    /** One stream of a {@link MelToMagnitude}; not thread safe, allocation-free per frame. */
    interface Worker {
        /**
         * The next frame of the stream to a linear magnitude frame. The caller validates the features
         * (finite).
         *
         * @param features     the frame's {@code bands} values in the spec's log
         * @param magnitudeOut receives {@code bins} magnitudes, ≥ 0
         */
        void magnitude(float[] features, float[] magnitudeOut);

        /** Forgets the stream: the next frame is the first. */
        void reset();

        /** {@return the bytes {@link #saveState} writes: 0 for a step without memory} */
        int stateBytes();

        /**
         * Writes the stream's state (what the next frames depend on) at the buffer's position.
         *
         * @param out has at least {@link #stateBytes()} bytes left
         */
        void saveState(ByteBuffer out);

        /**
         * Reads what {@link #saveState} wrote, on a worker of a step built the same way.
         *
         * @param in holds the state at its position
         * @throws IllegalArgumentException if the state does not fit this step
         */
        void restoreState(ByteBuffer in);
    }
}
