package dev.phasegrad.derivatives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.integrate.LsParams;
import dev.phasegrad.invert.LsInverter;
import dev.phasegrad.nn.TinyModels;
import dev.phasegrad.nn.runtime.NetworkDerivatives;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.testing.TestAudio;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RecordedDerivativesTest {
    private static final StftConfig CFG = StftConfig.HANN_512_128;
    private static final LsParams PARAMS = LsParams.of(2, 3);

    /** Sources of both kinds (angles, phasors) and both look-aheads. */
    private static Map<String, Supplier<DerivativeEstimator>> sources() {
        Map<String, Supplier<DerivativeEstimator>> m = new LinkedHashMap<>();
        m.put("heuristic-la0", () -> new HeuristicDerivatives(CFG, 0));
        m.put("heuristic-la1", () -> new HeuristicDerivatives(CFG, 1));
        m.put("network", () -> new NetworkDerivatives(TinyModels.tiny(CFG, 1, 5)));
        m.put("network-strided", () -> new NetworkDerivatives(TinyModels.tiny(CFG, 2, 6)));
        return m;
    }

    @Test
    void anLsInverterFedAReplayWritesTheSamePhaseAsOneFedTheSource() {
        float[] x = Arrays.copyOf(TestAudio.clip(16000), 12000);
        float[][] mag = Stft.magnitude(x, CFG);
        sources().forEach((name, source) -> {
            Spectrogram live = new LsInverter(name, source.get(), PARAMS).reconstruct(mag, x.length);
            RecordedDerivatives rec = RecordedDerivatives.record(source.get(), mag);
            assertThat(rec.frames()).isEqualTo(mag.length);
            assertThat(rec.lookahead()).isEqualTo(source.get().lookahead());
            DerivativeEstimator replay = rec.replay();
            assertThat(replay instanceof PhasorDerivativeEstimator)
                    .as(name)
                    .isEqualTo(source.get() instanceof PhasorDerivativeEstimator);
            for (int pass = 0; pass < 2; pass++) { // a recording serves any number of replays
                Spectrogram again = new LsInverter(name, rec.replay(), PARAMS).reconstruct(mag, x.length);
                for (int t = 0; t < mag.length; t++) {
                    assertThat(again.re()[t]).as(name + " frame " + t).isEqualTo(live.re()[t]);
                    assertThat(again.im()[t]).as(name + " frame " + t).isEqualTo(live.im()[t]);
                }
            }
        });
    }

    @Test
    void aPhasorReplayPushedForAnglesGivesThePhasorsAngles() {
        float[][] mag = Stft.magnitude(Arrays.copyOf(TestAudio.clip(16000), 4000), CFG);
        RecordedDerivatives rec = RecordedDerivatives.record(new NetworkDerivatives(TinyModels.tiny(CFG, 1, 5)), mag);
        PhasorDerivativeEstimator replay = (PhasorDerivativeEstimator) rec.replay();
        DerivativeEstimator angles = rec.replay();
        int bins = CFG.bins();
        double[][] p = {new double[bins], new double[bins], new double[bins - 1], new double[bins - 1]};
        float[] dt = new float[bins];
        float[] df = new float[bins - 1];
        float[] m1 = new float[bins];
        float[] m2 = new float[bins];
        for (int t = 0; t < mag.length; t++) {
            assertThat(replay.pushPhasors(mag[t], p[0], p[1], p[2], p[3], m1)).isTrue();
            assertThat(angles.push(mag[t], dt, df, m2)).isTrue();
            assertThat(m2).isEqualTo(m1);
            for (int k = 0; k < bins; k++) {
                assertThat(dt[k]).isEqualTo((float) Math.atan2(p[1][k], p[0][k]));
            }
            for (int k = 0; k < bins - 1; k++) {
                assertThat(df[k]).isEqualTo((float) Math.atan2(p[3][k], p[2][k]));
            }
        }
        assertThat(angles.push(mag[0], dt, df, m2)).as("past the end").isFalse();
    }

    @Test
    void theReplayPositionIsItsStateAndANegativeOneIsRefused() {
        float[][] mag = Stft.magnitude(Arrays.copyOf(TestAudio.clip(16000), 4000), CFG);
        RecordedDerivatives rec = RecordedDerivatives.record(new HeuristicDerivatives(CFG, 1), mag);
        int bins = CFG.bins();
        float[] dt = new float[bins];
        float[] df = new float[bins - 1];
        float[] m = new float[bins];
        DerivativeEstimator a = rec.replay();
        assertThat(a.push(mag[0], dt, df, m)).as("look-ahead filling").isFalse();
        a.push(mag[1], dt, df, m);
        a.push(mag[2], dt, df, m);
        ByteBuffer state = ByteBuffer.allocate(a.stateBytes());
        a.saveState(state);
        float[] next = new float[bins];
        a.push(mag[3], next, df, m);
        DerivativeEstimator b = rec.replay();
        b.restoreState(state.flip());
        float[] fromRestored = new float[bins];
        assertThat(b.push(mag[3], fromRestored, df, m)).isTrue();
        assertThat(fromRestored).isEqualTo(next);
        assertThatThrownBy(() -> b.restoreState(ByteBuffer.allocate(4).putInt(0, -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}
