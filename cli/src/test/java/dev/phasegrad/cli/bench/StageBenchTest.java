package dev.phasegrad.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.StftConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Smoke run of the stage benchmark: correctness of the harness only, no timing assertion. */
class StageBenchTest {
    /** The harness, not the timing, is under test: the least warm-up rounds, no least wall time. */
    private static final Duration NO_WARMUP = Duration.ZERO;

    @Test
    void everyStageIsMeasuredAndStreamingChainsAllocateNothing() throws Exception {
        float[] x = Arrays.copyOf(
                Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav").samples(), 32000);
        List<StageBench.Row> rows = StageBench.run(
                x, StftConfig.DEFAULT, List.of("phasegrad", "ls-heuristic", "rtpghi", "fgla"), Map.of(), 1, NO_WARMUP);
        assertThat(rows)
                .extracting(StageBench.Row::method)
                .containsExactly("phasegrad", "ls-heuristic", "rtpghi", "fgla");
        for (StageBench.Row r : rows) {
            assertThat(r.stftUs()).isPositive();
            assertThat(r.reconstructUs()).isPositive();
            assertThat(r.istftUs()).isPositive();
        }
        StageBench.Row phasegrad = rows.get(0);
        assertThat(phasegrad.estimatorUs()).isPositive();
        assertThat(phasegrad.integrationUs()).isPositive();
        assertThat(rows.get(2).estimatorUs()).isNaN();
        for (StageBench.Row r : rows.subList(0, 3)) {
            // a single pass may still be interpreted code; allocation is asserted in core's StreamingContractTest
            assertThat(r.bytesPerFrame()).isFinite();
        }
        assertThat(rows.get(3).bytesPerFrame()).isNaN();
        assertThat(rows.get(3).iterations()).isEqualTo(32);
        assertThat(phasegrad.model()).isNotNull();
        assertThat(rows.get(1).model()).isNull();
    }

    @Test
    void aModelFileIsTimedAsOneMoreNetworkMethod() throws Exception {
        float[] x = Arrays.copyOf(
                Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav").samples(), 16000);
        PhaseModel m = PhaseModel.builtin("proposed", StftConfig.HANN_512_128);
        List<StageBench.Row> rows =
                StageBench.run(x, StftConfig.HANN_512_128, List.of("phasegrad"), Map.of("mine", m), 1, NO_WARMUP);
        assertThat(rows).extracting(StageBench.Row::method).containsExactly("phasegrad", "mine");
        StageBench.Row mine = rows.get(1);
        assertThat(mine.model()).isSameAs(m);
        assertThat(mine.estimatorUs()).isPositive();
        assertThat(mine.integrationUs()).isPositive();
        assertThat(mine.estimatorVsPhasegrad()).isPositive();
        assertThat(mine.iterations()).isZero();
    }
}
