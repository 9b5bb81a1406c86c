package dev.phasegrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.nn.runtime.NetworkDerivatives;
import dev.phasegrad.stft.StftConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PhaseModelTest {
    private static final StftConfig CFG = StftConfig.hann(32, 8);

    @Test
    void fileRoundTripKeepsEverything() throws IOException {
        PhaseModel m = TinyModels.tiny(CFG, 2, 1);
        byte[] bytes = m.toBytes();
        PhaseModel r = PhaseModel.read(new ByteArrayInputStream(bytes), "mem");
        assertThat(r.toBytes()).isEqualTo(bytes);
        assertThat(r.params()).containsExactly(m.params());
        assertThat(r.config()).isEqualTo(CFG);
        assertThat(r.stride()).isEqualTo(2);
        assertThat(r.lookahead()).isEqualTo(1);
        assertThat(r.lsP()).isEqualTo(0.9f);
        assertThat(r.lsGamma0()).isEqualTo(12f);
        assertThat(r.info()).isEqualTo("test model");
        assertThat(r.networks().get(0).toString()).isEqualTo(m.networks().get(0).toString());
    }

    @Test
    void corruptForeignAndTruncatedFilesAreRefused() {
        byte[] bytes = TinyModels.tiny(CFG, 1, 1).toBytes();
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 1;
        assertThatThrownBy(() -> PhaseModel.read(new ByteArrayInputStream(flipped), "x.pgnn"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("checksum");
        byte[] foreign = bytes.clone();
        foreign[0] = 'X';
        assertThatThrownBy(() -> PhaseModel.read(new ByteArrayInputStream(foreign), "x.pgnn"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a phasegrad model");
        byte[] newer = bytes.clone();
        newer[7] = 9;
        assertThatThrownBy(() -> PhaseModel.read(new ByteArrayInputStream(newer), "x.pgnn"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> PhaseModel.read(new ByteArrayInputStream(Arrays.copyOf(bytes, 40)), "x.pgnn"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void otherStftSettingsAreRefusedWithAClearMessage() {
        PhaseModel m = TinyModels.tiny(CFG, 1, 1);
        assertThatThrownBy(() -> new NetworkDerivatives(m, StftConfig.hann(64, 16)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trained for STFT Hann 32 / hop 8")
                .hasMessageContaining("Hann 64 / hop 16");
        assertThatThrownBy(() -> PhaseModel.builtin("proposed", StftConfig.hann(64, 16)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no built-in 'proposed' model");
    }

    @Test
    void architectureMustCoverEachServedFrameOnce() {
        PhaseModel m = TinyModels.tiny(CFG, 2, 1);
        assertThatThrownBy(() -> new PhaseModel(
                        "x", CFG, InputFeatures.DEFAULT, m.inputFrames(), 1, 1f, 1f, "", m.networks(), m.params()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the stride");
        assertThatThrownBy(() -> m.withParams(new float[3])).hasMessageContaining("parameters");
    }

    @Test
    void costCountsFollowTheLayers() {
        PhaseModel m = TinyModels.tiny(CFG, 2, 1);
        long expect = 0;
        for (LayerSpec l : m.networks().get(0).trunk()) {
            expect += (long) l.weightCount() * CFG.bins();
        }
        for (HeadSpec h : m.networks().get(0).heads()) {
            expect += (long) h.layer().weightCount() * h.layer().outLength(CFG.bins());
        }
        assertThat(m.macsPerRun()).isEqualTo(expect);
        assertThat(m.macsPerFrame()).isEqualTo(expect / 2.0);
    }
}
