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
 * Vocos 512).
 *
 * <p>The ends: phasegrad's synthesis window is the canonical dual of the analysis window, exact where
 * every frame that overlaps a sample exists. The feature grids start at −padding rather than at
 * −(N − hop), so the first N − hop − padding samples (HiFi-GAN 384, Vocos 256) miss frames before the
 * first, and the samples from frame F's start on miss the frames after the last. There each sample is
 * divided by the overlap-add envelope of the frames that do exist, as torch.istft normalises by its
 * window envelope, so a true spectrum comes back exactly up to the first and last sample.
 */
public final class FeatureGrid {
    private FeatureGrid() {}

    /**
     * Samples a vocoder makes from {@code frames} feature frames when the original length is not
     * known: the shortest signal that gives that many frames, {@code (frames − 1)·hop + N − 2·padding}
     * (HiFi-GAN: frames·hop; Vocos: (frames − 1)·hop).
     *
     * @param spec   the front end
     * @param frames feature frames
     * @return the output length in samples
     */
    public static int outputLength(FeatureSpec spec, int frames) {
        return Math.toIntExact(outputLength(spec, (long) frames));
    }

    /**
     * {@link #outputLength(FeatureSpec, int)} for a stream of any length: past 2^31 / hop frames (a day of
     * HiFi-GAN or Vocos frames) the samples no longer fit an int.
     *
     * @param spec   the front end
     * @param frames feature frames
     * @return the output length in samples
     */
    public static long outputLength(FeatureSpec spec, long frames) {
        if (frames <= 0) {
            return 0;
        }
        return Math.max(0, (frames - 1) * spec.hop() + spec.fftSize() - 2 * spec.padding());
    }

    /**
     * The signal length to pass to an offline inverter's {@code reconstruct} for {@code frames}
     * feature frames: the length whose phasegrad STFT has exactly that many frames,
     * {@code frames·hop − (N − hop)}. Offline methods (Griffin-Lim) re-analyse at that length on
     * phasegrad's grid, which is the feature grid moved by {@link FeatureSpec#gridOffsetSamples()}: the
     * frames are the same, only the signal's ends are cut at the first and last frame's centre
     * region instead of the reference's reflect padding.
     *
     * @param spec   the front end
     * @param frames feature frames
     * @return the reconstruction length in samples
     */
    public static int reconstructionLength(FeatureSpec spec, int frames) {
        return Math.max(0, frames * spec.hop() - (spec.fftSize() - spec.hop()));
    }

    /**
     * Output samples to drop from the start of phasegrad's ISTFT stream: the spec's padding.
     *
     * @param spec the front end
     * @return the samples to drop
     */
    public static int streamSkip(FeatureSpec spec) {
        return spec.padding();
    }

    /**
     * Analysis times synthesis window, per sample of a frame: the terms of the overlap-add envelope.
     *
     * @param spec the front end
     * @return fftSize products, frame start first
     */
    public static double[] windowProduct(FeatureSpec spec) {
        double[] g = spec.stft().analysisWindow();
        double[] d = spec.stft().synthesisWindow();
        double[] p = new double[g.length];
        for (int j = 0; j < p.length; j++) {
            p[j] = g[j] * d[j];
        }
        return p;
    }

    /**
     * Output samples {@code [0, startZone)} miss frames before the first: N − hop − padding, at least 0.
     *
     * @param spec the front end
     * @return the end of the start zone, in output samples
     */
    public static int startZone(FeatureSpec spec) {
        return Math.max(0, spec.fftSize() - spec.hop() - spec.padding());
    }

    /**
     * The first output sample that misses a frame after the last of {@code frames}: frames·hop − padding.
     *
     * @param spec   the front end
     * @param frames feature frames
     * @return that output sample
     */
    public static long tailStart(FeatureSpec spec, long frames) {
        return frames * spec.hop() - spec.padding();
    }

    /**
     * Divides {@code y[from .. from + n)}, output samples {@code first ..}, by the overlap-add envelope
     * of the frames in {@code [0, frames)} where that differs from 1 (the start zone, and from
     * {@link #tailStart} on); {@code frames} is {@code Long.MAX_VALUE} while the stream runs.
     * Allocation-free.
     *
     * @param y       the output samples, normalised in place
     * @param from    where in {@code y} the samples start
     * @param n       how many samples
     * @param first   the output index of {@code y[from]}
     * @param spec    the front end
     * @param product {@link #windowProduct} of {@code spec}
     * @param frames  the frames of the stream, or {@code Long.MAX_VALUE} while it runs
     */
    public static void normaliseEdges(
            float[] y, int from, int n, long first, FeatureSpec spec, double[] product, long frames) {
        int zone = startZone(spec);
        long tail = frames == Long.MAX_VALUE ? Long.MAX_VALUE : tailStart(spec, frames);
        int hop = spec.hop();
        int size = spec.fftSize();
        int pad = spec.padding();
        for (int j = 0; j < n; j++) {
            long i = first + j;
            if (i >= zone && i < tail) {
                continue;
            }
            // frames t cover i when 0 <= i + pad − t·hop < N
            long lo = Math.max(0, Math.floorDiv(i + pad - size, hop) + 1);
            long hi = Math.min(frames - 1, Math.floorDiv(i + pad, hop));
            double env = 0;
            for (long t = lo; t <= hi; t++) {
                env += product[(int) (i + pad - t * hop)];
            }
            // where the windows all but vanish the sample is ~0 anyway: no division by ~0
            if (env > 1e-6) {
                y[from + j] = (float) (y[from + j] / env);
            }
        }
    }

    /**
     * Synthesises a spectrogram on the feature grid into {@code length} samples aligned with the
     * analysed signal, its ends normalised by the envelope of the frames there are (samples no frame
     * reaches are zero).
     *
     * @param spec     the frames, on the feature grid
     * @param features the front end
     * @param length   samples wanted
     * @return the signal
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
        normaliseEdges(
                out, 0, Math.min(length, startZone(features)), 0, features, windowProduct(features), spec.frames());
        long tail = Math.max(startZone(features), tailStart(features, spec.frames()));
        if (tail < length) {
            normaliseEdges(
                    out, (int) tail, (int) (length - tail), tail, features, windowProduct(features), spec.frames());
        }
        return out;
    }
}
