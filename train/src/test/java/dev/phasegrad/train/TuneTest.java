package dev.phasegrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.stft.StftConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuneTest {
    /** A corner of the shipped grids: the search, not the grid's size, is under test. */
    private static final double[] GRID_P = {1.0, 3.0};

    private static final double[] GRID_GAMMA = {1, 30};

    @Test
    void aModelFreeSourceGetsTheGridsBestPairAsPropertyLines(@TempDir Path dir) throws IOException {
        TrainerTest.writeWav(dir.resolve("pkg/a.wav"), TrainerTest.voice(3, 16000 * 2 + 4000), 16000);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> lines = Tune.tuneSource(
                "heuristic-la0",
                StftConfig.HANN_512_128,
                dir,
                1,
                6,
                GRID_P,
                GRID_GAMMA,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("heuristic-la0.512.128.p = ");
        assertThat(lines.get(1)).startsWith("heuristic-la0.512.128.gamma0 = ");
        double p = Double.parseDouble(lines.get(0).split(" = ")[1]);
        double g = Double.parseDouble(lines.get(1).split(" = ")[1]);
        assertThat(GRID_P).contains(p);
        assertThat(GRID_GAMMA).contains(g);
        // the chosen pair's ESTOI is the highest of the printed grid (p, gamma0, estoi, sc per row)
        List<double[]> rows = Arrays.stream(log.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(l -> l.matches("[0-9.]+\t.*"))
                .map(l -> Arrays.stream(l.split("\t"))
                        .mapToDouble(Double::parseDouble)
                        .toArray())
                .toList();
        assertThat(rows).hasSize(GRID_P.length * GRID_GAMMA.length);
        double best = rows.stream().mapToDouble(r -> r[2]).max().orElseThrow();
        assertThat(rows).anySatisfy(r -> {
            assertThat(r[0]).isEqualTo(p);
            assertThat(r[1]).isEqualTo(g);
            assertThat(r[2]).isEqualTo(best);
        });
    }

    @Test
    void anUnknownSourceIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> Tune.tuneSource("heuristic-la7", StftConfig.DEFAULT, dir, 1, 6, System.out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heuristic-la7")
                .hasMessageContaining("heuristic-la1");
    }
}
