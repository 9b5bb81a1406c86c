package dev.phasegrad.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.phasegrad.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service on loopback, against a local inverter on the same frames. */
class StreamServiceTest {
    static final Duration T = Duration.ofSeconds(20);
    static final String PHASEGRAD = "{\"method\":\"phasegrad\",\"stft\":{\"fft\":1024,\"hop\":256},\"rate\":16000,"
            + "\"input\":\"linear\",\"output\":\"s16le\"}";
    static InversionServer server;
    static HttpClient http;
    static URI uri;

    @BeforeAll
    static void start() throws Exception {
        server = InversionServer.start(ServerConfig.defaults().withPort(0));
        http = HttpClient.newHttpClient();
        uri = URI.create(server.streamUri());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, Object> json(String s) throws Exception {
        return JSON.std.mapFrom(s);
    }

    /** Streams frames in messages of 1, 2, 3, ... frames, ends, and returns the PCM messages. */
    static List<byte[]> stream(StreamClient c, String setup, float[][] frames) throws Exception {
        c.sendText(setup);
        Map<String, Object> reply = json(c.nextText(T));
        assertThat(reply).containsKeys("hop", "bins", "latencySamples", "sampleRate");
        int size = 1;
        for (int t = 0; t < frames.length; t += size, size = size % 5 + 1) {
            c.sendFrames(frames, t, Math.min(frames.length, t + size));
        }
        c.sendText("{\"end\":true}");
        StreamClient.Closed closed = c.awaitClose(T);
        assertThat(closed.code()).as(closed.reason()).isEqualTo(1000);
        return c.pcm();
    }

    static void assertSame(List<byte[]> got, List<byte[]> expected) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Arrays.equals(got.get(i), expected.get(i)))
                    .as("PCM message %d equals the local one", i)
                    .isTrue();
        }
    }

    @Test
    void phasegradStreamIsBitIdenticalToALocalInverter() throws Exception {
        StreamClient c = StreamClient.connect(http, uri);
        c.sendText(PHASEGRAD);
        Map<String, Object> reply = json(c.nextText(T));
        assertThat(reply)
                .containsEntry("hop", 256)
                .containsEntry("bins", 513)
                .containsEntry("latencySamples", 768)
                .containsEntry("sampleRate", 16000)
                .containsEntry("frames", 0);
        int size = 1;
        float[][] f = Fixtures.MAGNITUDE;
        for (int t = 0; t < f.length; t += size, size = size % 5 + 1) {
            c.sendFrames(f, t, Math.min(f.length, t + size));
        }
        c.sendText("{\"end\":true}");
        assertThat(c.awaitClose(T)).isEqualTo(new StreamClient.Closed(1000, "end of stream"));
        assertSame(c.pcm(), Fixtures.localS16(Method.PHASEGRAD, f));
        assertThat(json(c.nextText(T)))
                .containsEntry("end", true)
                .containsEntry("frames", f.length)
                .containsEntry("tailSamples", 768);
    }

    @Test
    void hifiganMelStreamIsBitIdenticalToALocalVocoder() throws Exception {
        StreamClient c = StreamClient.connect(http, uri);
        List<byte[]> got = stream(
                c, "{\"features\":\"hifigan\",\"method\":\"rtpghi-la1\",\"output\":\"f32le\"}", Fixtures.HIFIGAN_MEL);
        assertSame(got, Fixtures.localMelF32(Method.RTPGHI_LA1, Fixtures.HIFIGAN_MEL));
    }

    @Test
    void badStreamsCloseAloneWithCodeAndReasonWhileAGoodOneCompletes() throws Exception {
        float[][] f = Fixtures.MAGNITUDE;
        StreamClient good = StreamClient.connect(http, uri);
        good.sendText(PHASEGRAD);
        good.nextText(T);
        good.sendFrames(f, 0, 50);

        float[][] nan = copy(f, 8);
        nan[5][17] = Float.NaN;
        float[][] negative = copy(f, 8);
        negative[6][300] = -1f;
        StreamClient c1 = open(PHASEGRAD);
        c1.sendFrames(nan, 0, 4);
        c1.sendFrames(nan, 4, 8);
        StreamClient c2 = open(PHASEGRAD);
        c2.sendFrames(negative, 0, 8);
        StreamClient c3 = open(PHASEGRAD);
        c3.sendFrames(f, 0, 3);
        c3.sendBinary(ByteBuffer.allocate(100));
        StreamClient c4 = StreamClient.connect(http, uri);
        c4.sendFrames(f, 0, 1);
        StreamClient c5 = StreamClient.connect(http, uri);
        c5.sendText("{\"method\":\"no-such-method\"}");
        StreamClient c6 = StreamClient.connect(http, uri);
        c6.sendText("{\"method\":\"phasegrad\",\"resume\":\"UEdJUwABAAAA\"}");
        StreamClient c7 = open("{\"method\":\"phasegrad\",\"input\":\"log\"}");
        float[][] inf = copy(f, 2);
        inf[1][0] = Float.POSITIVE_INFINITY;
        c7.sendFrames(inf, 0, 2);

        good.sendFrames(f, 50, f.length);
        good.sendText("{\"end\":true}");

        assertClose(c1, 1007, "frame 5", "bin 17");
        assertClose(c2, 1007, "frame 6", "bin 300");
        assertClose(c3, 1007, "frame 3", "100 bytes");
        assertClose(c4, 1003, "before the setup");
        assertClose(c5, 1007, "setup: unknown method 'no-such-method'");
        assertClose(c6, 1007, "resume token refused");
        assertClose(c7, 1007, "frame 1", "bin 0");
        assertThat(c1.pcm()).hasSize(5); // frames 0-4 came back, frame 4 from the bad frame's own message
        assertThat(c2.pcm()).hasSize(6);
        assertThat(good.awaitClose(T).code()).isEqualTo(1000);
        assertSame(good.pcm(), Fixtures.localS16(Method.PHASEGRAD, f));
    }

    @Test
    void anErrorIsSentInFullBeforeTheCloseWhoseReasonFitsTheFrame() throws Exception {
        StreamClient c = StreamClient.connect(http, uri);
        String longName = "x".repeat(300);
        c.sendText("{\"method\":\"" + longName + "\"}");
        Map<String, Object> error = json(c.nextText(T));
        assertThat((String) error.get("error")).contains(longName);
        StreamClient.Closed closed = c.awaitClose(T);
        assertThat(closed.code()).isEqualTo(1007);
        assertThat(closed.reason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(closed.reason()).startsWith("setup: unknown method 'xxx").endsWith("...");
    }

    @Test
    void resumedStreamContinuesBitIdentically() throws Exception {
        float[][] f = Fixtures.MAGNITUDE;
        int half = f.length / 2;
        StreamClient first = open(PHASEGRAD);
        first.sendFrames(f, 0, half);
        first.sendText("{\"snapshot\":true}");
        Map<String, Object> snap = json(first.nextText(T));
        assertThat(snap).containsEntry("frames", half);
        first.abort(); // the connection is lost; the client reconnects elsewhere with the token

        StreamClient second = StreamClient.connect(http, uri);
        second.sendText(PHASEGRAD.substring(0, PHASEGRAD.length() - 1) + ",\"resume\":\"" + snap.get("state") + "\"}");
        Map<String, Object> reply = json(second.nextText(T));
        assertThat(reply).containsEntry("frames", half);
        second.sendFrames(f, half, f.length);
        second.sendText("{\"end\":true}");
        assertThat(second.awaitClose(T).code()).isEqualTo(1000);

        List<byte[]> got = new ArrayList<>(first.pcm().subList(0, half));
        got.addAll(second.pcm());
        assertSame(got, Fixtures.localS16(Method.PHASEGRAD, f));
    }

    @Test
    void resumedMelStreamContinuesBitIdentically() throws Exception {
        float[][] f = Fixtures.HIFIGAN_MEL;
        String setup = "{\"features\":\"hifigan\",\"method\":\"rtpghi-la1\",\"output\":\"f32le\"";
        int cut = 77;
        StreamClient first = open(setup + "}");
        first.sendFrames(f, 0, cut);
        first.sendText("{\"snapshot\":true}");
        Map<String, Object> snap = json(first.nextText(T));
        assertThat(snap).containsEntry("frames", cut);
        first.close(1000, "moving");

        StreamClient second = StreamClient.connect(http, uri);
        second.sendText(setup + ",\"resume\":\"" + snap.get("state") + "\"}");
        assertThat(json(second.nextText(T))).containsEntry("frames", cut);
        second.sendFrames(f, cut, f.length);
        second.sendText("{\"end\":true}");
        assertThat(second.awaitClose(T).code()).isEqualTo(1000);

        List<byte[]> got = new ArrayList<>(first.pcm().subList(0, cut));
        got.addAll(second.pcm());
        assertSame(got, Fixtures.localMelF32(Method.RTPGHI_LA1, f));
    }

    @Test
    void metricsNameTheStreamsFramesHopTimesAndCloses() throws Exception {
        StreamClient c = StreamClient.connect(http, uri);
        stream(c, PHASEGRAD, Arrays.copyOf(Fixtures.MAGNITUDE, 10));
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.httpUri() + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .contains(
                        "phasegrad_streams_open ",
                        "phasegrad_frames_total ",
                        "phasegrad_frames_per_second ",
                        "phasegrad_hop_processing_seconds_bucket{le=",
                        "phasegrad_stream_closes_total{reason=\"end\"}",
                        "phasegrad_process_cpu_seconds_total ",
                        "phasegrad_heap_used_bytes ");
        HttpResponse<String> h = http.send(
                HttpRequest.newBuilder(URI.create(server.httpUri() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.body()).startsWith("{\"status\":\"ok\"");
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create(server.httpUri() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("<title>phasegrad");
    }

    @Test
    void aNonLoopbackBindNeedsATokenOrInsecure() {
        assertThatThrownBy(() -> InversionServer.start(
                        ServerConfig.defaults().withPort(0).withBind("0.0.0.0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--token")
                .hasMessageContaining("--insecure");
    }

    @Test
    void aTokenIsRequiredWhenConfigured() throws Exception {
        try (InversionServer s =
                InversionServer.start(ServerConfig.defaults().withPort(0).withToken("s3cret", false))) {
            URI u = URI.create(s.streamUri());
            assertThatThrownBy(() -> StreamClient.connect(http, u))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(WebSocketHandshakeException.class);
            assertThatThrownBy(() -> StreamClient.connect(http, u, "wrong", null, 0))
                    .hasCauseInstanceOf(WebSocketHandshakeException.class);
            StreamClient ok = StreamClient.connect(http, u, "s3cret", null, 0);
            stream(ok, PHASEGRAD, Arrays.copyOf(Fixtures.MAGNITUDE, 3));
            StreamClient query = StreamClient.connect(http, URI.create(s.streamUri() + "?access_token=s3cret"));
            stream(query, PHASEGRAD, Arrays.copyOf(Fixtures.MAGNITUDE, 3));
            HttpResponse<String> m = http.send(
                    HttpRequest.newBuilder(URI.create(s.httpUri() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(m.statusCode()).isEqualTo(401);
        }
    }

    StreamClient open(String setup) throws Exception {
        StreamClient c = StreamClient.connect(http, uri);
        c.sendText(setup);
        c.nextText(T);
        return c;
    }

    static void assertClose(StreamClient c, int code, String... reasonParts) throws Exception {
        StreamClient.Closed closed = c.awaitClose(T);
        assertThat(closed.code()).as(closed.reason()).isEqualTo(code);
        assertThat(closed.reason()).contains(reasonParts);
    }

    static float[][] copy(float[][] f, int n) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = f[i].clone();
        }
        return out;
    }
}
