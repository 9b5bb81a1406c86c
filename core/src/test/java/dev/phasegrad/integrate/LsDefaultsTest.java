package dev.phasegrad.integrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.stft.StftConfig;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LsDefaultsTest {

    @Test
    void mostSpecificKeyWinsThenSourceThenDefault() {
        Properties t = new Properties();
        t.setProperty("default.p", "1");
        t.setProperty("default.gamma0", "10");
        t.setProperty("heuristic-la0.gamma0", "3");
        t.setProperty("heuristic-la0.1024.256.p", "2");
        LsParams a = LsDefaults.forSource(t, StftConfig.DEFAULT, "heuristic-la0");
        assertThat(a.p()).isEqualTo(2);
        assertThat(a.gamma0()).isEqualTo(3);
        LsParams b = LsDefaults.forSource(t, StftConfig.HANN_512_128, "heuristic-la0");
        assertThat(b.p()).isEqualTo(1);
        assertThat(b.gamma0()).isEqualTo(3);
        LsParams c = LsDefaults.forSource(t, StftConfig.HANN_512_128, "network");
        assertThat(c.p()).isEqualTo(1);
        assertThat(c.gamma0()).isEqualTo(10);
        t.setProperty("network.gamma0", "ten");
        assertThatThrownBy(() -> LsDefaults.forSource(t, StftConfig.DEFAULT, "network"))
                .hasMessageContaining("network.gamma0")
                .hasMessageContaining("ten");
    }

    @Test
    void shippedTableHasValidEntriesForEverySourceAndConfig() {
        for (String source : new String[] {"oracle", "heuristic-la0", "heuristic-la1", "network"}) {
            for (StftConfig c : new StftConfig[] {StftConfig.HANN_512_128, StftConfig.DEFAULT}) {
                LsParams p = LsDefaults.forSource(c, source);
                assertThat(p.gamma0()).as("%s %s", source, c).isPositive();
            }
        }
    }
}
