package dev.phasegrad.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.phasegrad.PhaseInverter;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page in Debian's headless chromium, driven over the Chrome DevTools protocol (a WebSocket, on
 * java.net.http; no driver, no downloaded browser): the embedded clip is streamed at real-time pace, and
 * the PCM the page collected equals a local inverter's on the frames the page sent. Saves a screenshot
 * to server/target/page.png. Skipped where chromium is missing, except in CI (.ci/run installs it).
 */
class PageBrowserTest {
    @TempDir
    Path profile;

    @Test
    void thePageStreamsTheClipAndCollectsTheServersOutput() throws Exception {
        Path chromium = findChromium();
        if (chromium == null) {
            if (System.getenv("CI") != null) {
                fail("chromium is not installed; .ci/run installs Debian's chromium before the tests");
            }
            Assumptions.abort("chromium is not installed (apt-get install chromium)");
        }
        try (InversionServer server =
                InversionServer.start(ServerConfig.defaults().withPort(0))) {
            Process browser = new ProcessBuilder(
                            chromium.toString(),
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--user-data-dir=" + profile,
                            "--autoplay-policy=no-user-gesture-required",
                            "--window-size=1150,760",
                            "--remote-debugging-port=0",
                            "about:blank")
                    .redirectErrorStream(true)
                    .start();
            try {
                String devtools = devtoolsAddress(browser);
                HttpClient http = HttpClient.newHttpClient();
                String list = http.send(
                                HttpRequest.newBuilder(URI.create(devtools + "/json/list"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                String pageWs = null;
                for (Object o : JSON.std.listFrom(list)) {
                    Map<?, ?> target = (Map<?, ?>) o;
                    if ("page".equals(target.get("type"))) {
                        pageWs = (String) target.get("webSocketDebuggerUrl");
                    }
                }
                assertThat(pageWs).as("a page target in %s", list).isNotNull();
                Cdp cdp = new Cdp(http, URI.create(pageWs));
                cdp.call("Page.enable", Map.of());
                cdp.call("Page.navigate", Map.of("url", server.httpUri() + "/"));
                waitFor(cdp, "document.readyState === 'complete' && !!document.getElementById('clip')", 20);
                cdp.eval(
                        "document.getElementById('method').value = 'phasegrad'; document.getElementById('clip').click()");
                waitFor(cdp, "!document.getElementById('start').disabled", 20);
                cdp.eval("document.getElementById('start').click()");
                waitFor(cdp, "window.phasegrad.done", 60);
                String got = (String)
                        cdp.eval(
                                "(() => { const r = window.phasegrad;"
                                        + " const b64 = a => { let s = ''; const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);"
                                        + "  for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode.apply(null, u.subarray(i, i + 8192));"
                                        + "  return btoa(s); };"
                                        + " const cat = list => { const n = list.reduce((s, a) => s + a.length, 0), out = new Float32Array(n);"
                                        + "  let o = 0; for (const a of list) { out.set(a, o); o += a.length; } return out; };"
                                        + " return JSON.stringify({ error: r.error, closeCode: r.closeCode, frames: b64(cat(r.frames)),"
                                        + "  lengths: r.pcm.map(p => p.length), pcm: b64(cat(r.pcm)),"
                                        + "  latencies: r.latencies.length, recvText: document.getElementById('recv').textContent }); })()");
                Map<String, Object> r = JSON.std.mapFrom(got);
                Map<String, Object> shot = cdp.call("Page.captureScreenshot", Map.of("format", "png"));
                Path png = Paths.get("target", "page.png");
                Files.createDirectories(png.getParent());
                Files.write(png, Base64.getDecoder().decode((String) shot.get("data")));

                assertThat(r.get("error")).isNull();
                assertThat(r.get("closeCode")).isEqualTo(1000);
                float[] frames = floats(Base64.getDecoder().decode((String) r.get("frames")));
                float[] pcm = floats(Base64.getDecoder().decode((String) r.get("pcm")));
                @SuppressWarnings("unchecked")
                List<Integer> lengths = (List<Integer>) r.get("lengths");
                int n = frames.length / 513;
                int clipFrames = Fixtures.MAGNITUDE.length;
                assertThat(n).as("the page analysed the whole clip").isEqualTo(clipFrames);
                assertThat(lengths).hasSize(n + 1);
                assertThat(r.get("latencies")).isEqualTo(n);

                PhaseInverter inv = PhaseInverter.builder().method("phasegrad").build();
                float[] out = new float[inv.latencySamples()];
                float[] frame = new float[513];
                int at = 0;
                for (int t = 0; t <= n; t++) {
                    int k;
                    if (t < n) {
                        System.arraycopy(frames, t * 513, frame, 0, 513);
                        k = inv.push(frame, out);
                    } else {
                        k = inv.flush(out);
                    }
                    assertThat(lengths.get(t)).isEqualTo(k);
                    assertThat(Arrays.equals(pcm, at, at + k, out, 0, k))
                            .as("PCM of frame %d", t)
                            .isTrue();
                    at += k;
                }
                // the page's browser-side STFT is close to the Java one (not bit-equal: another FFT)
                double maxDiff = 0;
                for (int t = 0; t < n; t++) {
                    for (int b = 0; b < 513; b++) {
                        maxDiff = Math.max(maxDiff, Math.abs(frames[t * 513 + b] - Fixtures.MAGNITUDE[t][b]));
                    }
                }
                assertThat(maxDiff).isLessThan(1e-3);
                cdp.close();
            } finally {
                browser.destroy();
                if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                    browser.destroyForcibly();
                }
            }
        }
    }

    static float[] floats(byte[] b) {
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    static void waitFor(Cdp cdp, String condition, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (Boolean.TRUE.equals(cdp.eval("!!(" + condition + ")"))) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the page did not reach '" + condition + "' within " + seconds + " s; page log: "
                + cdp.eval("document.getElementById('log') && document.getElementById('log').textContent"));
    }

    static Path findChromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Paths.get(dir, "chromium");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Reads chromium's output until it names its DevTools address; returns http://host:port. */
    static String devtoolsAddress(Process browser) throws Exception {
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
                        StringBuilder seen = new StringBuilder();
                        for (String line; (line = in.readLine()) != null; ) {
                            int i = line.indexOf("DevTools listening on ws://");
                            if (i >= 0) {
                                String ws = line.substring(i + "DevTools listening on ".length());
                                address.complete("http://" + ws.substring(5, ws.indexOf('/', 5)));
                            } else if (seen.length() < 4000) {
                                seen.append(line).append('\n');
                            }
                        }
                        address.completeExceptionally(new IllegalStateException("chromium exited: " + seen));
                    } catch (Exception e) {
                        address.completeExceptionally(e);
                    }
                },
                "chromium-output");
        reader.setDaemon(true);
        reader.start();
        return address.get(30, TimeUnit.SECONDS);
    }

    /** A minimal Chrome DevTools protocol client: numbered calls, answers matched by id. */
    static final class Cdp implements WebSocket.Listener {
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
        private final StringBuilder part = new StringBuilder();
        private final WebSocket ws;

        Cdp(HttpClient http, URI uri) throws Exception {
            ws = http.newWebSocketBuilder().buildAsync(uri, this).get(10, TimeUnit.SECONDS);
        }

        Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
            pending.put(id, answer);
            synchronized (this) {
                ws.sendText(JSON.std.asString(Map.of("id", id, "method", method, "params", params)), true)
                        .get(10, TimeUnit.SECONDS);
            }
            Map<String, Object> m = answer.get(30, TimeUnit.SECONDS);
            if (m.get("error") != null) {
                throw new IllegalStateException(method + ": " + m.get("error"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) m.get("result");
            return result;
        }

        Object eval(String expression) throws Exception {
            Map<String, Object> r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
            if (r.get("exceptionDetails") != null) {
                throw new IllegalStateException("page script failed: " + r.get("exceptionDetails"));
            }
            return ((Map<?, ?>) r.get("result")).get("value");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                try {
                    Map<String, Object> m = JSON.std.mapFrom(part.toString());
                    Object id = m.get("id");
                    if (id instanceof Integer i && pending.containsKey(i)) {
                        pending.remove(i).complete(m);
                    }
                } catch (Exception e) {
                    // events and anything unreadable are not answers
                }
                part.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
