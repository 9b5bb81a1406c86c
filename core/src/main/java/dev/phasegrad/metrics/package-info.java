/**
 * Speech quality metrics for evaluating spectrogram inversion: {@link dev.phasegrad.metrics.Stoi}
 * (STOI and ESTOI, numerically identical to pystoi 0.4.1), {@link dev.phasegrad.metrics.SpectralConvergence},
 * {@link dev.phasegrad.metrics.Snr}, {@link dev.phasegrad.metrics.LogSpectralDistance}, and the
 * {@link dev.phasegrad.metrics.QualityScores} bundle.
 *
 * <p>Common conventions: the first argument is the clean reference, the second the degraded signal;
 * if their lengths differ the longer is trimmed to the shorter by dropping its end; no delay, gain or
 * DC compensation is applied; arithmetic is double precision. Null, empty or non-finite input is
 * rejected with {@link java.lang.IllegalArgumentException}. Results are never NaN: identical signals
 * give SC = −∞ and SNR = +∞. All entry points are static and thread safe.
 */
package dev.phasegrad.metrics;
