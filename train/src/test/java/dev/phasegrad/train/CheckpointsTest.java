package dev.phasegrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    @Test
    void aCheckpointReadsBackAsWrittenAndADamagedOneIsNamed(@TempDir Path dir) throws IOException {
        PhaseModel model = Architectures.create("proposed", StftConfig.hann(64, 16), 4, 3);
        Adam adam = new Adam(model.paramCount());
        adam.step = 17;
        for (int i = 0; i < adam.m.length; i++) {
            adam.m[i] = i * 0.5f;
            adam.v[i] = i * 0.25f;
        }
        Path file = dir.resolve("checkpoint.bin");
        Checkpoints.write(file, new Checkpoints.State(model, adam, 3, -1.25));
        Checkpoints.State back = Checkpoints.read(file);
        assertThat(back.model.toBytes()).isEqualTo(model.toBytes());
        assertThat(back.adam.step).isEqualTo(17);
        assertThat(back.adam.m).isEqualTo(adam.m);
        assertThat(back.adam.v).isEqualTo(adam.v);
        assertThat(back.epochsDone).isEqualTo(3);
        assertThat(back.bestLoss).isEqualTo(-1.25);

        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 5));
        assertThatThrownBy(() -> Checkpoints.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("checkpoint is truncated");
        Files.writeString(file, "not a checkpoint");
        assertThatThrownBy(() -> Checkpoints.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a phasegrad training checkpoint");
    }
}
