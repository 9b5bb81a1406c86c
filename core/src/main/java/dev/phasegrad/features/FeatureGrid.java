package dev.phasegrad.features;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.StreamingIstft;

/**
 * Audio from frames on a {@link FeatureSpec}'s grid, sample-aligned with the signal the features
 * were computed from: output sample i is input sample i, as a HiFi-GAN or Vocos output is.
 *
 * <p>Why it works: phasegrad's streaming ISTFT emits sample n + (N − hop) of phasegrad's time axis
 * as its k-th output sample, and feature frame t is phasegrad frame t moved by
 * {@link FeatureSpec#gridOffsetSamples()}; together, ISTFT output k is input sample
 * {@code k − padding}. So the first {@code padding} samples of the stream are dropped (HiFi-GAN 384,
 * Vocos 512) and nothing else changes.
 */
public final class FeatureGrid {
    private FeatureGrid() {
    }

    /**
     * Samples a vocoder makes from {@code frames} feature frames when the original length is not
     * known: the shortest signal that gives that many frames, {@code (frames − 1)·hop + N − 2·padding}
     * (HiFi-GAN: frames·hop; Vocos: (frames − 1)·hop).
     */
    public static int outputLength(FeatureSpec spec, int frames) {
        if (frames <= 0) {
            return 0;
        }
        return Math.max(0, (frames - 1) * spec.hop() + spec.fftSize() - 2 * spec.padding());
    }

    /** Output samples to drop from the start of phasegrad's ISTFT stream: the spec's padding. */
    public static int streamSkip(FeatureSpec spec) {
        return spec.padding();
    }

    /**
     * Synthesises a spectrogram on the feature grid into {@code length} samples aligned with the
     * analysed signal (samples no frame reaches are zero).
     */
    public static float[] synthesise(Spectrogram spec, FeatureSpec features, int length) {
        int hop = features.hop();
        StreamingIstft istft = new StreamingIstft(spec.config());
        float[] out = new float[length];
        float[] block = new float[hop];
        int bins = spec.bins();
        float[] silentRe = new float[bins];
        float[] silentIm = new float[bins];
        int skip = streamSkip(features);
        // the frames, then silent frames until the overlap-add tail has come out
        int drain = (features.fftSize() - hop + hop - 1) / hop;
        for (int t = 0; t < spec.frames() + drain; t++) {
            boolean real = t < spec.frames();
            istft.push(real ? spec.re()[t] : silentRe, real ? spec.im()[t] : silentIm, block, 0);
            long first = (long) t * hop - skip; // output index of block[0]
            for (int i = 0; i < hop; i++) {
                long o = first + i;
                if (o >= 0 && o < length) {
                    out[(int) o] = block[i];
                }
            }
        }
        return out;
    }
}
