package dev.phasegrad.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.Method;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A short load test with faults: the good streams complete bit for bit, each fault ends its own stream. */
class LoadTestTest {
    @Test
    void sixRealTimeStreamsWithFaultsForTwoSeconds() throws Exception {
        try (InversionServer server =
                InversionServer.start(ServerConfig.defaults().withPort(0))) {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            Map<String, Object> r = LoadTest.run(
                    new LoadTest.Options(URI.create(server.streamUri()), 6, 2.0, true, true, Method.PHASEGRAD, null),
                    new PrintStream(progress, true, StandardCharsets.UTF_8));
            assertThat(r)
                    .containsEntry("goodStreams", 3)
                    .containsEntry("goodStreamsComplete", 3)
                    .containsEntry("lost", 0L)
                    .containsEntry("mismatchedOrReordered", 0L);
            assertThat((Long) r.get("framesSent")).isGreaterThan(3 * 120L);
            assertThat(r.get("latencyMsP99")).isNotNull();
            assertThat(r.get("serverCpuCores")).isNotNull();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> faults = (List<Map<String, Object>>) r.get("faults");
            assertThat(faults).hasSize(3);
            Map<String, Object> bad = faults.get(1);
            assertThat(bad)
                    .containsEntry("fault", "bad_frame")
                    .containsEntry("closeCode", 1007)
                    .containsEntry("pcmReceived", 10)
                    .containsEntry("pcmMatchesLocal", true);
            assertThat((String) bad.get("closeReason")).contains("frame 10", "bin 100");
            assertThat(faults.get(0)).containsEntry("fault", "abort").containsEntry("pcmMatchesLocal", true);
            assertThat(faults.get(2)).containsEntry("fault", "slow_reader").containsEntry("pcmMatchesLocal", true);
            for (int i = 0; i < 500 && server.openStreams() > 0; i++) {
                Thread.sleep(10);
            }
            assertThat(server.openStreams())
                    .as("the aborted stream's state is freed")
                    .isZero();
        }
    }
}
