package dev.phasegrad.nn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.integrate.LsParams;
import dev.phasegrad.invert.LsInverter;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.TinyModels;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.testing.Allocations;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Network inverters of every shipped shape (proposed, strided, prior-sota's gated angle networks) in
 * miniature, checked for allocation under -Xint like {@code invert.InterpretedAllocationTest}: the
 * full-size prior-sota costs seconds per frame interpreted, its miniature runs the same code paths.
 */
@Tag("interpreted")
class InterpretedNetworkAllocationTest {
    private static final StftConfig CFG = StftConfig.hann(32, 8);

    @Test
    void networkInvertersAllocateNothingWhenInterpreted() {
        Allocations.requireInterpreted();
        float[][] mag = TinyModels.magnitudes(CFG, 12, 4);
        mag[5] = new float[CFG.bins()]; // a silent frame takes the regularised path of the LS
        for (PhaseModel m : new PhaseModel[] {
            TinyModels.tiny(CFG, 1, 1), TinyModels.tiny(CFG, 2, 2), TinyModels.priorSotaShaped(CFG, 3)
        }) {
            LsInverter inv = new LsInverter(m.kind(), new NetworkDerivatives(m), LsParams.of(m.lsP(), m.lsGamma0()));
            assertThat(Allocations.afterFirstUse(Allocations.streamPass(inv, mag)))
                    .as("%s-shaped network inverter, interpreted", m.kind())
                    .isZero();
        }
    }
}
