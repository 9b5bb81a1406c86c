package dev.phasegrad.features;

import dev.phasegrad.stft.StftConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A log-mel front end, declared: everything a vocoder's training recipe fixes about its input
 * features, so that phasegrad computes (and inverts) exactly the frames a TTS model emits.
 *
 * <p>Analysis of a signal x of L samples: pad {@link #padding()} samples on each side (reflected
 * about the first and last sample, or zeros), cut frames of {@code fftSize} samples every
 * {@code hop} samples starting at the first padded sample, window each with a periodic Hann of
 * {@code windowLength} samples centred in the frame, take the one-sided DFT X, then
 * <pre>
 *   magnitude = sqrt(re² + im² + magnitudeEpsilon) ^ power
 *   mel       = filterbank · magnitude               (bands × bins, {@link MelFilterbank})
 *   feature   = log(max(mel, clamp))                 (natural log or log10; none keeps mel)
 * </pre>
 * Frames: {@code 1 + (L + 2·padding − fftSize) / hop} (integer division). Frame t is centred on
 * input sample {@link #frameCentre(int) t·hop − padding + fftSize/2}; phasegrad's own STFT grid
 * ({@link StftConfig}) centres frame t on {@code (t+1)·hop − fftSize/2}, so feature frame t sits
 * {@link #gridOffsetSamples()} samples after phasegrad frame t.
 *
 * @param name             preset name or {@code custom}
 * @param sampleRate       Hz
 * @param fftSize          DFT size N (even)
 * @param hop              samples between frames
 * @param windowLength     periodic Hann length, ≤ N, centred in the frame
 * @param padding          samples padded on each side before framing (N/2 is librosa's and
 *                         torchaudio's {@code center=True})
 * @param reflectPadding   true: reflect padding (numpy/torch "reflect"); false: zeros
 * @param magnitudeEpsilon added to re² + im² before the square root (HiFi-GAN's 1e-9)
 * @param power            1: magnitude, 2: power spectrum
 * @param scale            mel scale of the band edges
 * @param slaneyNorm       true: each triangle scaled to unit area in Hz (2 / band width), as
 *                         librosa's {@code norm='slaney'}; false: peak 1
 * @param fMin             lowest band edge, Hz
 * @param fMax             highest band edge, Hz (≤ sampleRate/2)
 * @param bands            number of mel bands
 * @param log              {@code ln}, {@code log10} or {@code none}
 * @param clamp            floor applied to mel before the log (ignored when log is none)
 */
public record FeatureSpec(
        String name,
        int sampleRate,
        int fftSize,
        int hop,
        int windowLength,
        int padding,
        boolean reflectPadding,
        double magnitudeEpsilon,
        int power,
        MelScale scale,
        boolean slaneyNorm,
        double fMin,
        double fMax,
        int bands,
        String log,
        double clamp) {

    /**
     * HiFi-GAN {@code config_v1} (and the many TTS models trained for it): 22050 Hz, 1024/256/1024,
     * reflect padding (N − hop)/2 = 384 without centring, |X| = sqrt(re² + im² + 1e-9), 80 Slaney
     * bands 0–8000 Hz with Slaney norm (librosa {@code filters.mel}), ln(max(mel, 1e-5)).
     */
    public static final FeatureSpec HIFIGAN = new FeatureSpec(
            "hifigan", 22050, 1024, 256, 1024, 384, true, 1e-9, 1, MelScale.SLANEY, true, 0, 8000, 80, "ln", 1e-5);

    /**
     * Vocos {@code mel-24khz}: 24000 Hz, 1024/256, torchaudio {@code MelSpectrogram} defaults
     * (center=True: reflect padding 512; HTK scale, no norm), power 1, 100 bands 0–12000 Hz,
     * ln(max(mel, 1e-7)).
     */
    public static final FeatureSpec VOCOS = new FeatureSpec(
            "vocos", 24000, 1024, 256, 1024, 512, true, 0, 1, MelScale.HTK, false, 0, 12000, 100, "ln", 1e-7);

    /**
     * Checks the settings.
     *
     * @param name             preset name or {@code custom}
     * @param sampleRate       Hz
     * @param fftSize          DFT size N (even)
     * @param hop              samples between frames
     * @param windowLength     periodic Hann length, ≤ N, centred in the frame
     * @param padding          samples padded on each side before framing (N/2 is librosa's and
     *                         torchaudio's {@code center=True})
     * @param reflectPadding   true: reflect padding (numpy/torch "reflect"); false: zeros
     * @param magnitudeEpsilon added to re² + im² before the square root (HiFi-GAN's 1e-9)
     * @param power            1: magnitude, 2: power spectrum
     * @param scale            mel scale of the band edges
     * @param slaneyNorm       true: each triangle scaled to unit area in Hz (2 / band width), as
     *                         librosa's {@code norm='slaney'}; false: peak 1
     * @param fMin             lowest band edge, Hz
     * @param fMax             highest band edge, Hz (≤ sampleRate/2)
     * @param bands            number of mel bands
     * @param log              {@code ln}, {@code log10} or {@code none}
     * @param clamp            floor applied to mel before the log (ignored when log is none)
     * @throws IllegalArgumentException if a value is out of range, or the sizes are no valid STFT
     */
    public FeatureSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("feature spec needs a name");
        }
        new StftConfig(fftSize, windowLength, hop, sampleRate); // same bounds as phasegrad's STFT
        if (padding < 0 || padding >= fftSize) {
            throw new IllegalArgumentException("padding must be in [0, fft " + fftSize + "), got " + padding);
        }
        if (!(magnitudeEpsilon >= 0) || Double.isInfinite(magnitudeEpsilon)) {
            throw new IllegalArgumentException("magnitude epsilon must be finite and >= 0, got " + magnitudeEpsilon);
        }
        if (power != 1 && power != 2) {
            throw new IllegalArgumentException("power must be 1 (magnitude) or 2 (power), got " + power);
        }
        if (scale == null) {
            throw new IllegalArgumentException("mel scale must be slaney or htk");
        }
        if (!(fMin >= 0) || !(fMax > fMin) || fMax > sampleRate / 2.0) {
            throw new IllegalArgumentException("need 0 <= fmin < fmax <= sample rate / 2 = " + sampleRate / 2.0
                    + " Hz, got fmin " + fMin + ", fmax " + fMax);
        }
        if (bands < 1 || bands > fftSize / 2 + 1) {
            throw new IllegalArgumentException("bands must be in [1, " + (fftSize / 2 + 1) + "], got " + bands);
        }
        if (!"ln".equals(log) && !"log10".equals(log) && !"none".equals(log)) {
            throw new IllegalArgumentException("log must be ln, log10 or none, got '" + log + "'");
        }
        if (!"none".equals(log) && !(clamp > 0 && clamp < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("clamp must be a positive floor for the log, got " + clamp);
        }
    }

    /**
     * The presets by name: {@code hifigan}, {@code vocos}.
     *
     * @param name {@code hifigan} or {@code vocos}
     * @return the preset
     * @throws IllegalArgumentException for another name
     */
    public static FeatureSpec preset(String name) {
        return switch (name) {
            case "hifigan" -> HIFIGAN;
            case "vocos" -> VOCOS;
            default ->
                throw new IllegalArgumentException("unknown feature preset '" + name
                        + "'; presets: hifigan, vocos, or a custom spec such as 'vocos,bands=80,fmax=8000'");
        };
    }

    /**
     * A preset or a custom spec: a preset name, optionally followed by {@code key=value} overrides,
     * or only {@code key=value} pairs on top of {@link #HIFIGAN}'s values. Keys: rate, fft, hop,
     * win, pad (samples, or {@code center} for fft/2), pad-mode (reflect|zero), eps, power,
     * scale (slaney|htk), norm (slaney|none), fmin, fmax, bands, log (ln|log10|none), clamp.
     * Example: {@code hifigan,fmax=11025} or {@code vocos,rate=22050,bands=80}.
     *
     * @param text a preset name, optionally followed by {@code ,key=value} pairs, or the pairs alone
     * @return the spec
     * @throws IllegalArgumentException naming the key or value that is wrong
     */
    public static FeatureSpec parse(String text) {
        String[] parts = text.trim().split(",");
        int first = 0;
        FeatureSpec base = HIFIGAN;
        boolean custom = false;
        if (parts.length > 0 && !parts[0].contains("=")) {
            base = preset(parts[0].trim());
            first = 1;
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = first; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException(
                        "feature spec: expected key=value, got '" + p + "' in '" + text + "'");
            }
            kv.put(
                    p.substring(0, eq).trim().toLowerCase(Locale.ROOT),
                    p.substring(eq + 1).trim());
            custom = true;
        }
        int rate = base.sampleRate;
        int fft = base.fftSize;
        int hop = base.hop;
        Integer win = null;
        String pad = null;
        boolean reflect = base.reflectPadding;
        double eps = base.magnitudeEpsilon;
        int power = base.power;
        MelScale scale = base.scale;
        boolean norm = base.slaneyNorm;
        double fmin = base.fMin;
        Double fmax = null;
        int bands = base.bands;
        String log = base.log;
        double clamp = base.clamp;
        for (Map.Entry<String, String> e : kv.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "rate" -> rate = intValue(e.getKey(), v);
                case "fft" -> fft = intValue(e.getKey(), v);
                case "hop" -> hop = intValue(e.getKey(), v);
                case "win" -> win = intValue(e.getKey(), v);
                case "pad" -> pad = v;
                case "pad-mode" ->
                    reflect = switch (v) {
                        case "reflect" -> true;
                        case "zero" -> false;
                        default ->
                            throw new IllegalArgumentException(
                                    "feature spec: pad-mode must be reflect or zero, got '" + v + "'");
                    };
                case "eps" -> eps = doubleValue(e.getKey(), v);
                case "power" -> power = intValue(e.getKey(), v);
                case "scale" ->
                    scale = switch (v) {
                        case "slaney" -> MelScale.SLANEY;
                        case "htk" -> MelScale.HTK;
                        default ->
                            throw new IllegalArgumentException(
                                    "feature spec: scale must be slaney or htk, got '" + v + "'");
                    };
                case "norm" ->
                    norm = switch (v) {
                        case "slaney" -> true;
                        case "none" -> false;
                        default ->
                            throw new IllegalArgumentException(
                                    "feature spec: norm must be slaney or none, got '" + v + "'");
                    };
                case "fmin" -> fmin = doubleValue(e.getKey(), v);
                case "fmax" -> fmax = doubleValue(e.getKey(), v);
                case "bands" -> bands = intValue(e.getKey(), v);
                case "log" -> log = v;
                case "clamp" -> clamp = doubleValue(e.getKey(), v);
                default ->
                    throw new IllegalArgumentException(
                            "feature spec: unknown key '" + e.getKey()
                                    + "'; keys: rate, fft, hop, win, pad, pad-mode, eps, power, scale, norm, fmin, fmax, bands, log, clamp");
            }
        }
        int w = win != null ? win : (kv.containsKey("fft") ? fft : Math.min(base.windowLength, fft));
        int padding;
        if (pad == null) {
            // the base's rule, carried to a changed fft/hop
            padding = base.padding == base.fftSize / 2 ? fft / 2 : base.padding == 0 ? 0 : (fft - hop) / 2;
        } else if (pad.equals("center")) {
            padding = fft / 2;
        } else {
            padding = intValue("pad", pad);
        }
        double top = fmax != null ? fmax : Math.min(base.fMax, rate / 2.0);
        return new FeatureSpec(
                custom ? "custom" : base.name,
                rate,
                fft,
                hop,
                w,
                padding,
                reflect,
                eps,
                power,
                scale,
                norm,
                fmin,
                top,
                bands,
                log,
                clamp);
    }

    private static int intValue(String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("feature spec: " + key + " must be an integer, got '" + v + "'");
        }
    }

    private static double doubleValue(String key, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("feature spec: " + key + " must be a number, got '" + v + "'");
        }
    }

    /** {@return the bins of the one-sided DFT, N/2 + 1} */
    public int bins() {
        return fftSize / 2 + 1;
    }

    /**
     * {@return phasegrad's STFT with the same window, FFT size, hop and rate (the grid the phase is reconstructed on)}
     */
    public StftConfig stft() {
        return new StftConfig(fftSize, windowLength, hop, sampleRate);
    }

    /**
     * Frames of a signal of {@code length} samples (0 when it is shorter than one frame after padding).
     *
     * @param length signal length in samples
     * @return the frame count
     */
    public int frameCount(int length) {
        long padded = (long) length + 2L * padding;
        return padded < fftSize ? 0 : (int) (1 + (padded - fftSize) / hop);
    }

    /**
     * Input sample at the centre of frame t.
     *
     * @param t the frame index
     * @return the input sample at its centre
     */
    public long frameCentre(int t) {
        return (long) t * hop - padding + fftSize / 2;
    }

    /**
     * Samples by which feature frame t is centred after phasegrad's frame t:
     * {@code frameCentre(t) − ((t+1)·hop − fftSize/2) = fftSize − padding − hop}.
     * HiFi-GAN: 384 (1.5 hops); Vocos: 256 (one hop).
     *
     * @return the offset in samples
     */
    public int gridOffsetSamples() {
        return fftSize - padding - hop;
    }

    /**
     * Maps mel to its feature value (log and clamp).
     *
     * @param mel a mel-band value (in the spec's power)
     * @return the feature value
     */
    public double toFeature(double mel) {
        return switch (log) {
            case "ln" -> Math.log(Math.max(mel, clamp));
            case "log10" -> Math.log10(Math.max(mel, clamp));
            default -> mel;
        };
    }

    /**
     * Inverse of {@link #toFeature} (values at the clamp come back as the clamp).
     *
     * @param feature a feature value
     * @return the mel-band value
     */
    public double fromFeature(double feature) {
        return switch (log) {
            case "ln" -> Math.exp(feature);
            case "log10" -> Math.pow(10.0, feature);
            default -> feature;
        };
    }

    /** {@return one line for reports: every setting that changes the features} */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "%s: %d Hz, fft %d, hop %d, win %d, pad %d %s, eps %g, power %d, %d %s "
                        + "bands %.0f-%.0f Hz (%s), %s(max(mel, %g))",
                name,
                sampleRate,
                fftSize,
                hop,
                windowLength,
                padding,
                reflectPadding ? "reflect" : "zero",
                magnitudeEpsilon,
                power,
                bands,
                scale.name().toLowerCase(Locale.ROOT),
                fMin,
                fMax,
                slaneyNorm ? "slaney norm" : "no norm",
                log,
                clamp);
    }
}
