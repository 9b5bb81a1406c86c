package dev.phasegrad.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Limits and faults on a server with small limits; each fault ends its stream alone. */
class LimitsTest {
    static final Duration T = Duration.ofSeconds(20);
    static final String SPSI = "{\"method\":\"spsi\",\"output\":\"f32le\"}";
    static InversionServer server;
    static HttpClient http;
    static URI uri;
    static ScheduledExecutorService slow;

    @BeforeAll
    static void start() throws Exception {
        server = InversionServer.start(
                ServerConfig.defaults().withPort(0).withLimits(3, 64 * 1024, Duration.ofMillis(1500), 8));
        http = HttpClient.newHttpClient();
        uri = URI.create(server.streamUri());
        slow = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        server.close();
        slow.shutdownNow();
    }

    @Test
    void oneStreamBeyondTheLimitIsRefusedWithTryAgainLater() throws Exception {
        StreamClient a = open();
        StreamClient b = open();
        StreamClient c = open();
        StreamClient d = StreamClient.connect(http, uri);
        StreamClient.Closed closed = d.awaitClose(T);
        assertThat(closed.code()).isEqualTo(1013);
        assertThat(closed.reason()).contains("server at capacity: 3 streams");
        for (StreamClient s : new StreamClient[] {a, b, c}) {
            s.sendFrames(Fixtures.MAGNITUDE, 0, 4);
            s.sendText("{\"end\":true}");
            assertThat(s.awaitClose(T).code()).isEqualTo(1000);
            assertThat(s.pcm()).hasSize(5);
        }
        awaitOpen(0);
    }

    @Test
    void aMessageOverTheLimitClosesItsStreamWith1009() throws Exception {
        StreamClient big = open();
        StreamClient good = open();
        big.sendFrames(Fixtures.MAGNITUDE, 0, 40); // 82 kB > 64 kB
        StreamClient.Closed closed = big.awaitClose(T);
        assertThat(closed.code()).isEqualTo(1009);
        assertThat(closed.reason()).contains("too large", "65,536");
        good.sendFrames(Fixtures.MAGNITUDE, 0, 20);
        good.sendText("{\"end\":true}");
        assertThat(good.awaitClose(T).code()).isEqualTo(1000);
        assertThat(good.pcm()).hasSize(21);
        awaitOpen(0);
    }

    @Test
    void anIdleStreamIsClosedAndFreed() throws Exception {
        StreamClient idle = open();
        idle.sendFrames(Fixtures.MAGNITUDE, 0, 2);
        StreamClient.Closed closed = idle.awaitClose(T);
        assertThat(closed.code()).as(closed.reason()).isEqualTo(1001);
        assertThat(closed.reason()).containsIgnoringCase("idle");
        awaitOpen(0);
        assertThat(metric("phasegrad_stream_closes_total{reason=\"idle\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aClientThatVanishesMidStreamFreesItsState() throws Exception {
        double before = metric("phasegrad_stream_closes_total{reason=\"vanished\"}");
        StreamClient gone = open();
        StreamClient good = open();
        gone.sendFrames(Fixtures.MAGNITUDE, 0, 10);
        good.sendFrames(Fixtures.MAGNITUDE, 0, 10);
        while (gone.pcmCount() < 10) {
            Thread.sleep(5);
        }
        gone.abort();
        for (int t = 10; t < Fixtures.MAGNITUDE.length; t += 20) {
            good.sendFrames(Fixtures.MAGNITUDE, t, Math.min(t + 20, Fixtures.MAGNITUDE.length));
        }
        good.sendText("{\"end\":true}");
        assertThat(good.awaitClose(T).code()).isEqualTo(1000);
        assertThat(good.pcm()).hasSize(Fixtures.MAGNITUDE.length + 1);
        awaitOpen(0);
        assertThat(metric("phasegrad_stream_closes_total{reason=\"vanished\"}")).isEqualTo(before + 1);
    }

    @Test
    void aClientThatDoesNotReadIsClosedInsteadOfBufferedWithoutBound() throws Exception {
        double before = metric("phasegrad_stream_closes_total{reason=\"slow_client\"}");
        // reads one message an hour: the socket buffers fill, then the server's 8 queued messages
        StreamClient stuck = StreamClient.connect(http, uri, null, slow, 3_600_000);
        stuck.sendText(SPSI);
        StreamClient good = StreamClient.connect(http, uri);
        good.sendText("{\"method\":\"spsi\"}");
        good.nextText(T);
        float[][] frames = Fixtures.MAGNITUDE;
        List<float[]> goodFrames = new ArrayList<>();
        int sent = 0;
        CompletableFuture<?> last = CompletableFuture.completedFuture(null);
        for (int round = 0;
                round < 4000 && metric("phasegrad_stream_closes_total{reason=\"slow_client\"}") == before;
                round++) {
            if (last.isCompletedExceptionally()) {
                sent = Integer.MAX_VALUE; // the server dropped the connection
            }
            if (last.isDone() && !stuck.isClosed() && sent < 200_000) {
                // 30 frames in, 30 kB of f32le out; one send at a time paces this with the server's reading
                last = stuck.sendFrames(frames, 0, 30);
                sent += 30;
            } else {
                Thread.sleep(5);
            }
            float[] next = frames[goodFrames.size() % frames.length];
            good.sendFrames(new float[][] {next}, 0, 1); // the good stream goes on meanwhile
            goodFrames.add(next);
        }
        assertThat(metric("phasegrad_stream_closes_total{reason=\"slow_client\"}"))
                .as("after %d frames", sent)
                .isEqualTo(before + 1);
        good.sendText("{\"end\":true}");
        assertThat(good.awaitClose(T).code()).isEqualTo(1000);
        float[][] all = goodFrames.toArray(new float[0][]);
        StreamServiceTest.assertSame(good.pcm(), Fixtures.localS16(Method.SPSI, all));
        awaitOpen(0);
    }

    @Test
    void aGoodStreamOnTheLimitedServerIsStillBitIdentical() throws Exception {
        StreamClient c = StreamClient.connect(http, uri);
        var got = StreamServiceTest.stream(c, "{\"method\":\"rtisi-la\"}", Arrays.copyOf(Fixtures.MAGNITUDE, 60));
        StreamServiceTest.assertSame(got, Fixtures.localS16(Method.RTISI_LA, Arrays.copyOf(Fixtures.MAGNITUDE, 60)));
    }

    static StreamClient open() throws Exception {
        StreamClient c = StreamClient.connect(http, uri);
        c.sendText(SPSI);
        c.nextText(T);
        return c;
    }

    static void awaitOpen(int n) throws Exception {
        for (int i = 0; i < 1000 && server.openStreams() != n; i++) {
            Thread.sleep(10);
        }
        assertThat(server.openStreams()).isEqualTo(n);
        assertThat(metric("phasegrad_streams_open")).isEqualTo(n);
    }

    static double metric(String series) throws Exception {
        String body = http.send(
                        HttpRequest.newBuilder(URI.create(server.httpUri() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
                .matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
