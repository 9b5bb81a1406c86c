package dev.phasegrad.invert;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.StftConfig;

/**
 * Phase reconstruction from STFT magnitudes. Every algorithm can run on a whole magnitude
 * spectrogram; the causal ones also implement {@link StreamingInverter}.
 *
 * <p>Magnitudes are [frames][bins] in the frame grid and phase convention of {@link StftConfig}
 * (see {@link dev.phasegrad.stft.Stft}). The result carries the given magnitudes with the
 * reconstructed phase (RTISI-LA and Griffin-Lim also keep the given magnitudes: only the phase is theirs).
 */
public interface Inverter {
    /**
     * The method's name in {@link Methods}, e.g. {@code rtpghi-la1}, for an instance the catalogue builds;
     * instances with other settings name them (e.g. {@code fgla-50}), network methods from a model file
     * carry the name they were built with.
     */
    String name();

    StftConfig config();

    /** Frames of look-ahead beyond the current one that the algorithm needs; -1 for offline methods. */
    int lookahead();

    /** Reconstructs a complex spectrogram; {@code signalLength} is passed through for synthesis. */
    Spectrogram reconstruct(float[][] magnitude, int signalLength);
}
