package dev.phasegrad.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.stft.StftConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An hour of frames (16 kHz, 1024/256: 225,000) through every streaming method, the embedded speech
 * clip and a steady tone repeated ({@link LongStream}): the last periods score as the first ones, no
 * sample is non-finite, the peak does not grow. {@code phasegrad soak --hours 24} is the same check for
 * longer.
 */
class LongStreamTest {
    /**
     * Relative cost per frame (phasegrad bench, µs at 1024/256), to start the longest streams first on
     * the two threads.
     */
    private static final Map<Method, Integer> COST = Map.of(
            Method.RTISI_LA,
            225,
            Method.PHASEGRAD,
            212,
            Method.PHASEGRAD_STRIDED,
            119,
            Method.RTPGHI,
            64,
            Method.RTPGHI_LA1,
            61,
            Method.LS_HEURISTIC_LA1,
            41,
            Method.SPSI,
            28,
            Method.LS_HEURISTIC,
            27,
            Method.MASUYAMA2023,
            1);

    @Test
    void anHourOfFramesThroughEveryStreamingMethodEndsAsItStarted() throws Exception {
        StftConfig c = StftConfig.DEFAULT;
        LongStream stream = LongStream.embedded(c);
        long hour = stream.framesIn(1.0);
        assertThat(hour).isEqualTo(225_000);
        List<Method> methods = new ArrayList<>();
        for (Method m : Method.values()) {
            if (m.availableAt(c)) {
                methods.add(m);
            }
        }
        methods.sort(Comparator.comparingInt((Method m) -> COST.getOrDefault(m, 1000))
                .reversed());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Map<Method, Future<LongStream.Result>> results = new LinkedHashMap<>();
        try {
            for (Method m : methods) {
                results.put(m, pool.submit(() -> {
                    PhaseInverter inv =
                            PhaseInverter.builder().method(m).stft(c).build();
                    if (m == Method.MASUYAMA2023) {
                        // 8.7 ms a frame (210 M MAC): an hour would take 33 minutes, so two periods (11 s of
                        // audio, about 6 s), the first against the second. Its stream state is the same
                        // network ring and least-squares integration as phasegrad's, which runs the hour.
                        long frames =
                                (2L * stream.periodFrames() * c.hop() + inv.latencySamples() + c.hop() - 1) / c.hop();
                        return stream.run(inv, frames, 1, Long.MAX_VALUE, s -> {});
                    }
                    return stream.run(inv, hour, LongStream.EDGE, Long.MAX_VALUE, s -> {});
                }));
            }
            for (Map.Entry<Method, Future<LongStream.Result>> e : results.entrySet()) {
                LongStream.Result r = e.getValue().get(600, TimeUnit.SECONDS);
                String summary = String.format(
                        "%-18s %s, %.1f s",
                        e.getKey(),
                        r.describe(c),
                        r.all().get(r.all().size() - 1).seconds());
                System.out.println(summary);
                assertThat(r.holds()).as(summary).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The check can fail: a stream whose level sinks by 1 % per period (as a leaking gain would) is caught. */
    @Test
    void aStreamThatDriftsIsCaught() {
        StftConfig c = StftConfig.DEFAULT;
        LongStream stream = LongStream.embedded(c);
        long frames = 40L * stream.periodFrames();
        PhaseInverter inv = PhaseInverter.builder().method(Method.SPSI).stft(c).build();
        LongStream.Result steady = stream.run(inv, frames, LongStream.EDGE, Long.MAX_VALUE, s -> {});
        assertThat(steady.holds()).as("spsi, %+.3f dB", steady.scChangeDb()).isTrue();

        inv.reset();
        double perFrame = Math.pow(0.99, 1.0 / stream.periodFrames());
        double[] gain = {1};
        LongStream.Result drifting = stream.run(
                (m, out) -> {
                    inv.push(m, out);
                    for (int i = 0; i < out.length; i++) {
                        out[i] *= (float) gain[0];
                    }
                    gain[0] *= perFrame;
                },
                inv.latencySamples(),
                frames,
                LongStream.EDGE,
                Long.MAX_VALUE,
                s -> {});
        assertThat(drifting.holds()).as("%+.3f dB", drifting.scChangeDb()).isFalse();
        assertThat(drifting.scChangeDb()).isGreaterThan(LongStream.SC_TOLERANCE_DB);
    }

    @Test
    void periodicScoresFallOnTheFirstPeriodOfEachSpan() {
        StftConfig c = StftConfig.DEFAULT;
        LongStream stream = LongStream.embedded(c);
        int p = stream.periodFrames();
        PhaseInverter inv =
                PhaseInverter.builder().method(Method.LS_HEURISTIC).stft(c).build();
        List<Long> scored = new ArrayList<>();
        // a score every 2.5 periods: periods 3 (frame 3p ≥ 2.5p), 5 (5p ≥ 5p), 8 (8p ≥ 7.5p), 10; ends 0, 11
        stream.run(inv, 12L * p + 8, 1, 5L * p / 2, s -> scored.add(s.period()));
        assertThat(scored).containsExactly(0L, 3L, 5L, 8L, 10L, 11L);
    }
}
