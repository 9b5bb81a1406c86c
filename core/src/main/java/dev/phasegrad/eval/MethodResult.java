package dev.phasegrad.eval;

import dev.phasegrad.metrics.QualityScores;

/**
 * One method on one signal: quality against the original, cost, latency, and the reconstruction.
 *
 * @param method          method name
 * @param source          name of the evaluated signal (file or clip)
 * @param scores          STOI, ESTOI, SC, SNR, LSD of the reconstruction against the original
 * @param microsPerFrame  wall-clock phase reconstruction time per STFT frame (after a warm-up pass;
 *                        excludes STFT analysis and ISTFT synthesis, like phaseret's figures)
 * @param lookaheadFrames frames of look-ahead; -1 for offline methods
 * @param latencyMs       algorithmic latency from input sample to output sample, (N − hop + lookahead·hop)/fs;
 *                        NaN for offline methods
 * @param output          the reconstructed signal (same length as the original)
 */
public record MethodResult(
        String method,
        String source,
        QualityScores scores,
        double microsPerFrame,
        int lookaheadFrames,
        double latencyMs,
        float[] output) {
    public boolean offline() {
        return lookaheadFrames < 0;
    }
}
