package dev.phasegrad.server;

import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.InputFileException;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code phasegrad loadtest}: N concurrent streams of the embedded speech clip's magnitudes (1024/256,
 * 16 kHz, repeated as long as the run lasts) against a running service, at real-time pace (one frame per
 * hop per stream) or as fast as the server answers (16 frames in flight per stream). Every PCM message
 * is checked against a local {@link PhaseInverter} on the same frames, bit for bit. With faults, stream
 * i with i mod 20 = 1 disconnects abruptly halfway, = 2 sends a NaN at frame 10 and then waits for
 * the close, = 3 reads one message per 20 ms (a little slower than real time); the other streams must
 * be unaffected. Loops are bounded by the run's seconds and timeouts.
 */
public final class LoadTest {
    /** What to run. */
    public record Options(
            URI url, int streams, double seconds, boolean realtime, boolean faults, Method method, String token) {}

    private enum Kind {
        good,
        abort,
        bad_frame,
        slow_reader
    }

    private static final int WINDOW = 16;
    private static final int FAST_FRAME_CAP = 200_000;

    private LoadTest() {}

    private static final class Stream {
        final int index;
        final Kind kind;
        StreamClient client;
        long[] sent = new long[1024];
        int frames;
        String error;
        StreamClient.Closed closed;
        ScheduledFuture<?> ticker;
        volatile boolean done;

        Stream(int index, Kind kind) {
            this.index = index;
            this.kind = kind;
        }

        void sentAt(int i, long t) {
            if (i == sent.length) {
                sent = Arrays.copyOf(sent, 2 * sent.length);
            }
            sent[i] = t;
        }
    }

    /**
     * Runs the load test.
     *
     * @param o        what to run
     * @param progress where a line per phase goes
     * @return the report (maps, lists, numbers, strings), for JSON
     */
    public static Map<String, Object> run(Options o, PrintStream progress) throws Exception {
        StftConfig stft = StftConfig.hann(1024, 256).withSampleRate(16000);
        float[][] clip = clipFrames(stft);
        double hopSeconds = stft.hop() / (double) stft.sampleRate();
        int realtimeFrames = (int) Math.ceil(o.seconds() / hopSeconds);
        URI metricsUri = URI.create(
                o.url().toString().replaceFirst("^ws", "http").replaceFirst("/v1/stream.*$", "") + "/metrics");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2, daemon("phasegrad-loadtest"));
        Map<String, Double> before = serverMetrics(http, metricsUri, o.token());
        long wall0 = System.nanoTime();
        List<Stream> streams = new ArrayList<>();
        String setup = "{\"method\":\"" + o.method().catalogueName() + "\",\"stft\":{\"fft\":1024,\"hop\":256},"
                + "\"rate\":16000,\"input\":\"linear\",\"output\":\"s16le\"}";
        try {
            for (int i = 0; i < o.streams(); i++) {
                Kind kind = !o.faults()
                        ? Kind.good
                        : switch (i % 20) {
                            case 1 -> Kind.abort;
                            case 2 -> Kind.bad_frame;
                            case 3 -> Kind.slow_reader;
                            default -> Kind.good;
                        };
                Stream s = new Stream(i, kind);
                streams.add(s);
                s.client = StreamClient.connect(http, o.url(), o.token(), ticks, kind == Kind.slow_reader ? 20 : 0);
                s.client.sendText(setup);
                String reply = s.client.nextText(Duration.ofSeconds(10));
                if (!reply.contains("\"hop\"")) {
                    throw new IllegalStateException("stream " + i + ": the server refused the setup: " + reply);
                }
            }
            progress.printf(
                    "%d streams open; streaming %s for %.1f s%n",
                    o.streams(), o.realtime() ? "at real-time pace" : "as fast as the server answers", o.seconds());
            long start = System.nanoTime();
            long end = start + (long) (o.seconds() * 1e9);
            long periodNanos = (long) (hopSeconds * 1e9);
            for (Stream s : streams) {
                // streams start spread over one hop, as independent callers would
                long offset = periodNanos * s.index / Math.max(1, o.streams());
                Runnable tick = () -> tick(s, clip, o.realtime(), realtimeFrames, end);
                s.ticker = o.realtime()
                        ? ticks.scheduleAtFixedRate(tick, offset, periodNanos, TimeUnit.NANOSECONDS)
                        : ticks.scheduleWithFixedDelay(tick, offset, 200_000, TimeUnit.NANOSECONDS);
            }
            long deadline = end + TimeUnit.SECONDS.toNanos(30);
            for (Stream s : streams) {
                while (!s.done && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                s.ticker.cancel(false);
            }
            for (Stream s : streams) {
                if (s.kind != Kind.abort) {
                    try {
                        s.closed = s.client.awaitClose(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))
                                .plusSeconds(5));
                    } catch (Exception e) {
                        s.error = "no close within the run's timeout";
                    }
                }
            }
        } finally {
            ticks.shutdownNow();
        }
        long wall = System.nanoTime() - wall0;
        Map<String, Double> after = serverMetrics(http, metricsUri, o.token());
        progress.println("verifying against a local inverter");
        return report(o, streams, clip, stft, hopSeconds, before, after, wall);
    }

    private static void tick(Stream s, float[][] clip, boolean realtime, int realtimeFrames, long end) {
        if (s.done) {
            return;
        }
        long now = System.nanoTime();
        StreamClient c = s.client;
        boolean over = realtime ? s.frames >= realtimeFrames : now >= end || s.frames >= FAST_FRAME_CAP;
        if (c.isClosed() || over) {
            if (!c.isClosed() && s.kind != Kind.abort) {
                c.sendText("{\"end\":true}");
            }
            s.done = true;
            return;
        }
        if (s.kind == Kind.abort && s.frames >= realtimeFrames / 2) {
            c.abort();
            s.done = true;
            return;
        }
        if (s.kind == Kind.bad_frame && s.frames > 10) {
            return; // sent its bad frame; waits for the server's close (further frames would race it)
        }
        if (!realtime && s.frames - c.pcmCount() >= WINDOW) {
            return;
        }
        float[] frame = clip[s.frames % clip.length];
        if (s.kind == Kind.bad_frame && s.frames == 10) {
            frame = frame.clone();
            frame[100] = Float.NaN;
        }
        s.sentAt(s.frames, now);
        s.frames++;
        c.sendFrames(new float[][] {frame}, 0, 1);
    }

    private static Map<String, Object> report(
            Options o,
            List<Stream> streams,
            float[][] clip,
            StftConfig stft,
            double hopSeconds,
            Map<String, Double> before,
            Map<String, Double> after,
            long wallNanos) {
        long sentTotal = 0;
        long received = 0;
        long lost = 0;
        long mismatched = 0;
        int goodOk = 0;
        int good = 0;
        List<Long> latencies = new ArrayList<>();
        List<Map<String, Object>> faults = new ArrayList<>();
        for (Stream s : streams) {
            List<byte[]> pcm = s.client.pcm();
            sentTotal += s.frames;
            int frameMessages = Math.min(pcm.size(), s.frames);
            received += frameMessages;
            if (s.kind != Kind.good) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("stream", s.index);
                f.put("fault", s.kind.name());
                f.put("framesSent", s.frames);
                f.put("pcmReceived", pcm.size());
                f.put("closeCode", s.closed == null ? null : s.closed.code());
                f.put(
                        "closeReason",
                        s.closed == null ? (s.kind == Kind.abort ? "client aborted" : s.error) : s.closed.reason());
                f.put("pcmMatchesLocal", mismatches(o.method(), stft, clip, s, pcm, false) == 0);
                faults.add(f);
                continue;
            }
            good++;
            long bad = mismatches(o.method(), stft, clip, s, pcm, true);
            long missing = Math.max(0, s.frames + 1 - pcm.size());
            lost += missing;
            mismatched += bad;
            boolean closedNormally = s.closed != null && s.closed.code() == 1000;
            if (bad == 0 && missing == 0 && closedNormally) {
                goodOk++;
            }
            for (int i = 0; i < frameMessages; i++) {
                latencies.add(s.client.arrival(i) - s.sent[i]);
            }
        }
        long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("url", o.url().toString());
        r.put("method", o.method().catalogueName());
        r.put("stft", "hann 1024/256 @ 16000 Hz");
        r.put("mode", o.realtime() ? "realtime" : "fast");
        r.put("streams", o.streams());
        r.put("seconds", o.seconds());
        r.put("framesSent", sentTotal);
        r.put("pcmReceived", received);
        r.put("goodStreams", good);
        r.put("goodStreamsComplete", goodOk);
        r.put("lost", lost);
        r.put("mismatchedOrReordered", mismatched);
        r.put("framesPerSecond", round(received / (wallNanos * 1e-9)));
        r.put("latencyMsP50", lat.length == 0 ? null : round(percentile(lat, 0.50) / 1e6));
        r.put("latencyMsP99", lat.length == 0 ? null : round(percentile(lat, 0.99) / 1e6));
        r.put("latencyMsMax", lat.length == 0 ? null : round(lat[lat.length - 1] / 1e6));
        r.put("hopMs", round(hopSeconds * 1e3));
        boolean realtimeOk = o.realtime()
                && lost == 0
                && mismatched == 0
                && goodOk == good
                && lat.length > 0
                && percentile(lat, 0.99) < hopSeconds * 1e9;
        r.put("realtimeSustained", o.realtime() ? realtimeOk : null);
        Double cpu0 = before.get("phasegrad_process_cpu_seconds_total");
        Double cpu1 = after.get("phasegrad_process_cpu_seconds_total");
        r.put("serverCpuCores", cpu0 == null || cpu1 == null ? null : round((cpu1 - cpu0) / (wallNanos * 1e-9)));
        Double heap = after.get("phasegrad_heap_used_bytes");
        r.put("serverHeapUsedMiB", heap == null ? null : round(heap / (1 << 20)));
        r.put("faults", faults);
        return r;
    }

    /**
     * PCM messages that differ from a local inverter's on the same frames, the flush tail included when the
     * stream ended normally; a fault stream is checked up to what it received.
     */
    private static long mismatches(
            Method method, StftConfig stft, float[][] clip, Stream s, List<byte[]> pcm, boolean expectTail) {
        PhaseInverter inv = PhaseInverter.builder().method(method).stft(stft).build();
        float[] out = new float[Math.max(inv.hop(), inv.latencySamples())];
        long bad = 0;
        int n = Math.min(s.frames, pcm.size());
        for (int i = 0; i < n; i++) {
            float[] frame = clip[i % clip.length];
            if (s.kind == Kind.bad_frame && i == 10) {
                break;
            }
            int k = inv.push(frame, out);
            if (!Arrays.equals(s16(out, k), pcm.get(i))) {
                bad++;
            }
        }
        if (expectTail) {
            if (pcm.size() == s.frames + 1) {
                int k = inv.flush(out);
                if (!Arrays.equals(s16(out, k), pcm.get(s.frames))) {
                    bad++;
                }
            }
            bad += Math.max(0, pcm.size() - (s.frames + 1)); // anything beyond the tail is unexpected
        }
        return bad;
    }

    private static byte[] s16(float[] x, int n) {
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768.0))));
        }
        return b.array();
    }

    private static float[][] clipFrames(StftConfig stft) throws InputFileException {
        float[] clip =
                Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav").samples();
        return Stft.magnitude(clip, stft);
    }

    private static double percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** The server's own figures from /metrics (unlabelled series only); empty when it cannot be read. */
    private static Map<String, Double> serverMetrics(HttpClient http, URI uri, String token) {
        Map<String, Double> out = new LinkedHashMap<>();
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("^(phasegrad_[a-z_]+) (\\S+)$", Pattern.MULTILINE)
                    .matcher(r.body());
            while (m.find()) {
                out.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        } catch (Exception e) {
            // the report says null for the server's CPU and heap
        }
        return out;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
