package dev.phasegrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SoakCommandTest {
    @Test
    void aShortSoakPrintsARowPerSpanAndTheVerdict() {
        // 0.05 h = 11,250 frames of 1024/256; a row every 0.01 h (2,250 frames, between 6 and 7 periods)
        CliTest.Run r = CliTest.run("soak", "--hours", "0.05", "--every", "0.01", "--methods", "spsi,ls-heuristic");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("11250 frames", "SC dB", "ESTOI")
                .containsPattern("(?m)^spsi +0\\.000 +0 ")
                .containsPattern("(?m)^spsi +0\\.01[0-9] +7 ")
                .containsPattern("(?m)^ls-heuristic +11250 frames \\(0\\.05 h\\): SC .* non-finite 0: holds$");
    }

    @Test
    void aSpanTooShortOrAnUnknownMethodIsOneLine() {
        CliTest.Run shortRun = CliTest.run("soak", "--hours", "0.001", "--methods", "spsi");
        assertThat(shortRun.code()).isEqualTo(1);
        assertThat(shortRun.err().strip())
                .startsWith("phasegrad soak: error: --hours 0.001 is 225 frames")
                .doesNotContain("\n");
        CliTest.Run unknown = CliTest.run("soak", "--hours", "0.05", "--methods", "pghi");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("not a streaming method");
    }
}
