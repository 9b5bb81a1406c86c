package dev.phasegrad.integrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.testing.TestAudio;
import java.util.List;
import org.junit.jupiter.api.Test;

class LsSystemsTest {
    @Test
    void speechSystemsAreWellFormedAndTheTridiagonalSolveMatchesTheDenseOne() {
        float[] signal = TestAudio.clip(16000);
        List<LsSystems.FrameSystem> systems = LsSystems.fromSpeech(signal, 257, 4);
        assertThat(systems).hasSize(4);
        TridiagonalSolver tri = new TridiagonalSolver(257);
        DenseSolver dense = new DenseSolver(257);
        for (LsSystems.FrameSystem s : systems) {
            assertThat(s.unknowns()).isEqualTo(257);
            assertThat(s.eRe()).hasSize(256);
            double rhs = 0;
            for (int k = 0; k < 257; k++) {
                assertThat(s.diag()[k]).isPositive().isFinite();
                rhs += s.bRe()[k] * s.bRe()[k] + s.bIm()[k] * s.bIm()[k];
            }
            assertThat(rhs).as("a speech frame, not silence").isGreaterThan(0);
            double[] xr = new double[257];
            double[] xi = new double[257];
            double[] yr = new double[257];
            double[] yi = new double[257];
            tri.solve(257, s.diag(), s.eRe(), s.eIm(), s.bRe(), s.bIm(), xr, xi);
            dense.solve(257, s.diag(), s.eRe(), s.eIm(), s.bRe(), s.bIm(), yr, yi);
            double num = 0;
            double den = 0;
            for (int k = 0; k < 257; k++) {
                num += (xr[k] - yr[k]) * (xr[k] - yr[k]) + (xi[k] - yi[k]) * (xi[k] - yi[k]);
                den += yr[k] * yr[k] + yi[k] * yi[k];
            }
            assertThat(Math.sqrt(num / den)).isLessThan(1e-9);
        }
    }

    @Test
    void unusableSizesAndShortSignalsAreRejectedWithTheReason() {
        float[] signal = TestAudio.clip(16000);
        assertThatThrownBy(() -> LsSystems.fromSpeech(signal, 256, 2)).hasMessageContaining("got 256");
        assertThatThrownBy(() -> LsSystems.fromSpeech(new float[1024], 513, 8))
                .hasMessageContaining("usable frames")
                .hasMessageContaining("asked for 8");
    }
}
