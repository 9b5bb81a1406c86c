package dev.phasegrad.train;

import dev.phasegrad.nn.InputFeatures;

/**
 * The floored log-magnitude frames of one file that training examples read their input from
 * (rows of frames no example needs are null, to save memory).
 */
final class Utterance {
    final String name;
    final int frames;
    final float[][] log;
    final float[] mean;

    Utterance(String name, int frames, float[][] log, float[] mean) {
        this.name = name;
        this.frames = frames;
        this.log = log;
        this.mean = mean;
    }

    /** Network input for newest frame {@code newest}, exactly as {@code NetworkDerivatives} builds it. */
    void input(
            InputFeatures features,
            int newest,
            int inputFrames,
            float[] silenceLog,
            float silenceMean,
            float[][] logView,
            float[] meanView,
            float[][] out) {
        for (int i = 0; i < inputFrames; i++) {
            int t = newest - i;
            if (t < 0) {
                logView[i] = silenceLog;
                meanView[i] = silenceMean;
            } else {
                logView[i] = log[t];
                meanView[i] = mean[t];
            }
        }
        features.inputRows(logView, meanView, inputFrames, silenceLog.length, out);
    }
}
