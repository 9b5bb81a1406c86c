package dev.phasegrad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.testing.TestAudio;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One inverter per stream, models shared: streams run at the same time on several threads give, each,
 * the samples of the same stream run alone, bit for bit (no state shared through the model or any cache).
 */
class ConcurrentStreamsTest {
    static float[] stream(Method m, float[][] frames) {
        PhaseInverter inv =
                PhaseInverter.builder().method(m).stft(StftConfig.DEFAULT).build();
        float[] out = new float[frames.length * inv.hop() + inv.latencySamples()];
        int n = 0;
        for (float[] f : frames) {
            n += inv.push(f, out, n);
        }
        inv.flush(out, n);
        return out;
    }

    @Test
    void concurrentStreamsEqualTheSameStreamsRunAlone() throws Exception {
        float[][] all = Stft.analyse(TestAudio.clip(16000), StftConfig.DEFAULT).magnitude();
        List<Method> methods = new ArrayList<>();
        for (Method m : Method.values()) {
            if (m.availableAt(StftConfig.DEFAULT)) {
                methods.add(m);
            }
        }
        // 100 frames (1.6 s) of each method, 24 of masuyama2023 (14 ms a frame): 27 streams on four
        // threads still run side by side on the shared models, and every sample of each is compared
        List<float[][]> inputs = new ArrayList<>();
        List<float[]> alone = new ArrayList<>();
        for (Method m : methods) {
            float[][] frames = Arrays.copyOf(all, m == Method.MASUYAMA2023 ? 24 : 100);
            inputs.add(frames);
            alone.add(stream(m, frames));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int copy = 0; copy < 3; copy++) {
                for (int i = 0; i < methods.size(); i++) {
                    Method m = methods.get(i);
                    float[][] frames = inputs.get(i);
                    results.add(pool.submit(() -> stream(m, frames)));
                }
            }
            for (int r = 0; r < results.size(); r++) {
                int i = r % methods.size();
                assertThat(results.get(r).get(120, TimeUnit.SECONDS))
                        .as("%s, copy %d", methods.get(i), r / methods.size())
                        .containsExactly(alone.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
