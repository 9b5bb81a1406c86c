package dev.phasegrad.metrics;

import java.util.List;

/**
 * The standard set of quality scores of one degraded signal against its clean reference.
 *
 * @param stoi  STOI (pystoi 0.4.1 compatible), higher is better
 * @param estoi ESTOI (pystoi 0.4.1 compatible), higher is better
 * @param scDb  spectral convergence, Hann 512 / hop 128, dB, lower is better ({@code -Infinity} if identical)
 * @param snrDb SNR, dB, higher is better ({@code +Infinity} if identical)
 * @param lsdDb log-spectral distance, Hann 512 / hop 128, 80 dB floor, dB, lower is better
 */
public record QualityScores(double stoi, double estoi, double scDb, double snrDb, double lsdDb) {

    /**
     * The mean of each score over several signals.
     *
     * @throws IllegalArgumentException when {@code scores} is empty
     */
    public static QualityScores mean(List<QualityScores> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("no scores to average");
        }
        double stoi = 0, estoi = 0, sc = 0, snr = 0, lsd = 0;
        for (QualityScores q : scores) {
            stoi += q.stoi;
            estoi += q.estoi;
            sc += q.scDb;
            snr += q.snrDb;
            lsd += q.lsdDb;
        }
        int n = scores.size();
        return new QualityScores(stoi / n, estoi / n, sc / n, snr / n, lsd / n);
    }

    /**
     * Computes all scores. The longer signal is first trimmed to the shorter one's length (its end
     * is dropped); no delay or gain compensation. The spectral metrics use 512/128 framing at any
     * rate; STOI/ESTOI resample to 10 kHz internally. Thread safe.
     *
     * @param clean    reference signal
     * @param degraded degraded signal, time aligned with {@code clean}
     * @param fs       sample rate of both signals in Hz
     * @throws IllegalArgumentException on null/empty/non-finite input, fs &lt;= 0, or a common length
     *                                  shorter than 512 samples
     */
    public static QualityScores of(float[] clean, float[] degraded, int fs) {
        double[] x = Signals.toDouble(clean, "clean");
        double[] y = Signals.toDouble(degraded, "degraded");
        int n = Math.min(x.length, y.length);
        x = Signals.head(x, n);
        y = Signals.head(y, n);
        double sc = SpectralConvergence.db(x, y, SpectralConvergence.DEFAULT_FFT, SpectralConvergence.DEFAULT_HOP);
        double[] st = Stoi.both(x, y, fs);
        return new QualityScores(
                st[0],
                st[1],
                sc,
                Snr.db(x, y),
                LogSpectralDistance.db(
                        x,
                        y,
                        SpectralConvergence.DEFAULT_FFT,
                        SpectralConvergence.DEFAULT_HOP,
                        LogSpectralDistance.DEFAULT_FLOOR_DB));
    }
}
