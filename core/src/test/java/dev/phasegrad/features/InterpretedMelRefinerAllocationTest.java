package dev.phasegrad.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.testing.Allocations;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The refiner's per-frame path (NNLS, input rows, network, exp) under -Xint, where no escape analysis hides a new. */
@Tag("interpreted")
class InterpretedMelRefinerAllocationTest {
    @Test
    void aRefinerFrameAllocatesNothingWhenInterpreted() {
        Allocations.requireInterpreted();
        FeatureSpec spec = FeatureSpec.parse("hifigan,rate=16000,fft=64,hop=16,bands=12,fmax=6000");
        MelRefiner.Worker w = new MelRefiner(MelRefinerTest.tiny(spec, 3, 5, false)).newWorker();
        SplittableRandom r = new SplittableRandom(2);
        float[][] mel = new float[6][spec.bands()];
        for (float[] f : mel) {
            for (int b = 0; b < f.length; b++) {
                f[b] = (float) (-8 + 6 * r.nextDouble());
            }
        }
        float[] out = new float[spec.bins()];
        Runnable pass = () -> {
            w.reset();
            for (float[] f : mel) {
                w.magnitude(f, out);
            }
        };
        assertThat(Allocations.afterFirstUse(pass))
                .as("mel refiner frame, interpreted")
                .isZero();
    }
}
