package dev.phasegrad.features;

import java.util.Arrays;

/**
 * Triangular mel filters over the one-sided DFT bins, as librosa's {@code filters.mel} and
 * torchaudio's {@code melscale_fbanks} build them: band b rises from edge b to a peak at edge b+1
 * and falls to edge b+2, with {@code bands + 2} edges spaced evenly on the mel scale from fMin to
 * fMax, over bin frequencies {@code k · (rate/2) / (bins − 1)}. With the Slaney norm each triangle
 * is scaled by {@code 2 / (edge[b+2] − edge[b])} (unit area in Hz).
 *
 * <p>Stored sparse (each band's non-zero run of bins); immutable and safe to share across threads.
 * Computed in double as the references are.
 */
public final class MelFilterbank {
    private final int bands;
    private final int bins;
    private final int[] first;
    private final double[][] weights;

    /**
     * The filterbank of {@code spec}'s mel scale, band edges, bands and normalisation.
     *
     * @param spec the front end
     */
    public MelFilterbank(FeatureSpec spec) {
        this.bands = spec.bands();
        this.bins = spec.bins();
        MelScale scale = spec.scale();
        double melLo = scale.hzToMel(spec.fMin());
        double melHi = scale.hzToMel(spec.fMax());
        double[] edge = new double[bands + 2];
        for (int i = 0; i < edge.length; i++) {
            // numpy/torch linspace: lo + i·step, the last point exactly hi
            double mel = i == edge.length - 1 ? melHi : melLo + i * ((melHi - melLo) / (edge.length - 1));
            edge[i] = scale.melToHz(mel);
        }
        double nyquist = spec.sampleRate() / 2.0;
        double[] freq = new double[bins];
        for (int k = 0; k < bins; k++) {
            freq[k] = k == bins - 1 ? nyquist : k * (nyquist / (bins - 1));
        }
        first = new int[bands];
        weights = new double[bands][];
        double[] row = new double[bins];
        for (int b = 0; b < bands; b++) {
            double lowDiff = edge[b + 1] - edge[b];
            double highDiff = edge[b + 2] - edge[b + 1];
            double norm = spec.slaneyNorm() ? 2.0 / (edge[b + 2] - edge[b]) : 1.0;
            int lo = -1;
            int hi = -1;
            for (int k = 0; k < bins; k++) {
                double lower = (freq[k] - edge[b]) / lowDiff;
                double upper = (edge[b + 2] - freq[k]) / highDiff;
                double w = Math.max(0.0, Math.min(lower, upper)) * norm;
                row[k] = w;
                if (w > 0) {
                    if (lo < 0) {
                        lo = k;
                    }
                    hi = k;
                }
            }
            first[b] = Math.max(lo, 0);
            weights[b] = lo < 0 ? new double[0] : Arrays.copyOfRange(row, lo, hi + 1);
        }
    }

    /** {@return the number of mel bands} */
    public int bands() {
        return bands;
    }

    /** {@return the number of STFT bins, N/2 + 1} */
    public int bins() {
        return bins;
    }

    /** First bin of band b's non-zero run. */
    int first(int band) {
        return first[band];
    }

    /** Band b's non-zero weights, from {@link #first(int)} on (not a copy: do not modify). */
    double[] run(int band) {
        return weights[band];
    }

    /** {@return the dense matrix [bands][bins] (for tests and export)} */
    public double[][] dense() {
        double[][] m = new double[bands][bins];
        for (int b = 0; b < bands; b++) {
            System.arraycopy(weights[b], 0, m[b], first[b], weights[b].length);
        }
        return m;
    }

    /**
     * {@code mel = filterbank · spectrum}; spectrum has {@link #bins()} values, mel {@link #bands()}.
     *
     * @param spectrum {@link #bins()} values
     * @param mel      receives {@link #bands()} values
     */
    public void apply(double[] spectrum, double[] mel) {
        for (int b = 0; b < bands; b++) {
            double[] w = weights[b];
            int o = first[b];
            double s = 0;
            for (int j = 0; j < w.length; j++) {
                s += w[j] * spectrum[o + j];
            }
            mel[b] = s;
        }
    }

    /**
     * {@code spectrum = filterbankᵀ · mel}.
     *
     * @param mel      {@link #bands()} values
     * @param spectrum receives {@link #bins()} values
     */
    public void applyTransposed(double[] mel, double[] spectrum) {
        Arrays.fill(spectrum, 0, bins, 0.0);
        for (int b = 0; b < bands; b++) {
            double[] w = weights[b];
            int o = first[b];
            double m = mel[b];
            for (int j = 0; j < w.length; j++) {
                spectrum[o + j] += w[j] * m;
            }
        }
    }
}
