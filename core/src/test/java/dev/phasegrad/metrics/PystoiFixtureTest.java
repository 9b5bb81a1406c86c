package dev.phasegrad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pair of the shipped pystoi 0.4.1 fixtures (fixtures/metrics/reference.json), plus the
 * intermediate checkpoints of resampling, silence removal and framing on each clean clip so that a
 * mismatch points at the stage that broke.
 */
class PystoiFixtureTest {
    private static final double TOL = 1e-6;
    private static final Map<String, Double> MAX_ERR = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ref() {
        return (Map<String, Object>) TestAudio.referenceJson();
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> pairs() {
        List<Object> pairs = (List<Object>) ref().get("pairs");
        assertThat(pairs).hasSize(24);
        return pairs.stream().map(o -> {
            Map<String, Object> p = (Map<String, Object>) o;
            return Arguments.of(p.get("id"), p);
        });
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> clips() {
        return ((List<Object>) ref().get("clips")).stream().map(o -> {
            Map<String, Object> c = (Map<String, Object>) o;
            return Arguments.of(c.get("clip"), c);
        });
    }

    private static void record(String metric, double err) {
        MAX_ERR.merge(metric, err, Math::max);
    }

    private static double num(Map<String, Object> m, String key) {
        return (Double) m.get(key);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void metricsMatchReference(String id, Map<String, Object> p) {
        float[] clean = TestAudio.wav((String) p.get("clean"));
        float[] deg = TestAudio.wav((String) p.get("degraded"));
        int fs = (int) num(p, "fs");
        assertThat(TestAudio.wavRate((String) p.get("degraded"))).isEqualTo(fs);
        assertThat(clean).hasSize((int) num(p, "n_samples"));
        assertThat(deg).hasSize((int) num(p, "n_samples"));

        double stoi = Stoi.stoi(clean, deg, fs);
        double estoi = Stoi.estoi(clean, deg, fs);
        record("stoi", Math.abs(stoi - num(p, "stoi")));
        record("estoi", Math.abs(estoi - num(p, "estoi")));
        assertThat(stoi).as(id + " STOI").isCloseTo(num(p, "stoi"), within(TOL));
        assertThat(estoi).as(id + " ESTOI").isCloseTo(num(p, "estoi"), within(TOL));

        double sc = SpectralConvergence.db(clean, deg);
        double snr = Snr.db(clean, deg);
        if (p.get("sc_db") == null) {
            assertThat(sc).as(id + " SC").isEqualTo(Double.NEGATIVE_INFINITY);
        } else {
            record("sc_db", Math.abs(sc - num(p, "sc_db")));
            assertThat(sc).as(id + " SC").isCloseTo(num(p, "sc_db"), within(TOL));
        }
        if (p.get("snr_db") == null) {
            assertThat(snr).as(id + " SNR").isEqualTo(Double.POSITIVE_INFINITY);
        } else {
            record("snr_db", Math.abs(snr - num(p, "snr_db")));
            assertThat(snr).as(id + " SNR").isCloseTo(num(p, "snr_db"), within(TOL));
        }

        // The convenience record must agree with the individual metrics bit for bit.
        QualityScores q = QualityScores.of(clean, deg, fs);
        assertThat(q.stoi()).isEqualTo(stoi);
        assertThat(q.estoi()).isEqualTo(estoi);
        assertThat(q.scDb()).isEqualTo(sc);
        assertThat(q.snrDb()).isEqualTo(snr);
        assertThat(q.lsdDb()).isEqualTo(LogSpectralDistance.db(clean, deg));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clips")
    @SuppressWarnings("unchecked")
    void stoiCheckpointsMatchReference(String clip, Map<String, Object> c) {
        Map<String, Object> dbg = (Map<String, Object>) c.get("stoi_debug");
        float[] xf = TestAudio.wav((String) c.get("file"));
        double[] x = new double[xf.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = xf[i];
        }
        assertThat(x).hasSize((int) num(c, "n_samples"));

        // 1. resampling 16k -> 10k
        double[] r = Stoi.resamplerFor((int) num(c, "fs")).apply(x);
        assertThat(r).as("n_resampled_10k").hasSize((int) num(dbg, "n_resampled_10k"));
        List<Object> first = (List<Object>) dbg.get("resampled_first8");
        for (int i = 0; i < first.size(); i++) {
            checkSample("resampled_first8", i, r[i], (Double) first.get(i));
        }
        List<Object> last = (List<Object>) dbg.get("resampled_last4");
        for (int i = 0; i < last.size(); i++) {
            int k = r.length - last.size() + i;
            checkSample("resampled_last4", k, r[k], (Double) last.get(i));
        }
        Map<String, Object> peak = (Map<String, Object>) dbg.get("resampled_peak_region");
        int start = (int) num(peak, "start");
        List<Object> pv = (List<Object>) peak.get("values");
        for (int i = 0; i < pv.size(); i++) {
            checkSample("resampled_peak_region", start + i, r[start + i], (Double) pv.get(i));
        }
        double ss = 0;
        for (double v : r) {
            ss += v * v;
        }
        assertThat(ss)
                .as("resampled_sum_sq")
                .isCloseTo(num(dbg, "resampled_sum_sq"), within(1e-10 * num(dbg, "resampled_sum_sq")));

        // 2. silence removal
        boolean[] keep = Stoi.vadMask(r);
        assertThat(keep).as("vad_frames_total").hasSize((int) num(dbg, "vad_frames_total"));
        StringBuilder mask = new StringBuilder();
        int kept = 0;
        for (boolean k : keep) {
            mask.append(k ? '1' : '0');
            kept += k ? 1 : 0;
        }
        assertThat(mask.toString()).as("vad_kept_mask").isEqualTo(dbg.get("vad_kept_mask"));
        assertThat(kept).as("vad_frames_kept").isEqualTo((int) num(dbg, "vad_frames_kept"));
        double[] xs = Stoi.removeSilentFrames(r, keep);
        assertThat(xs).as("n_after_silence_removal").hasSize((int) num(dbg, "n_after_silence_removal"));

        // 3./4. framing
        int frames = Stoi.stftFrameCount(xs.length);
        assertThat(frames).as("stft_frames").isEqualTo((int) num(dbg, "stft_frames"));
        assertThat(frames - Stoi.SEG + 1).as("segments_of_30").isEqualTo((int) num(dbg, "segments_of_30"));
    }

    private static void checkSample(String what, int index, double got, double want) {
        record("resampled sample", Math.abs(got - want));
        assertThat(got).as(what + " at 10 kHz index " + index).isCloseTo(want, within(1e-12));
    }

    @Test
    @SuppressWarnings("unchecked")
    void bandEdgesMatchReferenceConstants() {
        Map<String, Object> k = (Map<String, Object>) ref().get("stoi_constants");
        List<Object> bands = (List<Object>) k.get("band_bins_lo_inclusive_hi_exclusive");
        assertThat(bands).hasSize(Stoi.BANDS);
        List<String> want = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (int j = 0; j < Stoi.BANDS; j++) {
            List<Object> b = (List<Object>) bands.get(j);
            want.add(((Double) b.get(0)).intValue() + "-" + ((Double) b.get(1)).intValue());
            got.add(Stoi.BAND_LO[j] + "-" + Stoi.BAND_HI[j]);
        }
        assertThat(got).isEqualTo(want);
        assertThat(Stoi.FS).isEqualTo((int) num(k, "fs_internal"));
        assertThat(Stoi.FRAME).isEqualTo((int) num(k, "framelen"));
        assertThat(Stoi.HOP).isEqualTo((int) num(k, "hop"));
        assertThat(Stoi.NFFT).isEqualTo((int) num(k, "nfft"));
        assertThat(Stoi.SEG).isEqualTo((int) num(k, "segment_frames"));
    }

    @AfterAll
    static void printMaxErrors() {
        MAX_ERR.forEach((m, e) -> System.out.printf("max |error| vs pystoi fixtures  %-17s %.3e%n", m, e));
    }
}
