package dev.phasegrad.server;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client of {@code /v1/stream} on the JDK's WebSocket (java.net.http): sends the setup, frames and
 * commands, keeps every PCM message with its arrival time, the text replies, and how the stream closed.
 * Used by {@code phasegrad loadtest} and the tests.
 */
public final class StreamClient implements WebSocket.Listener {
    /** How a stream closed: a close frame's code and reason, or 1006 and the error for a lost connection. */
    public record Closed(int code, String reason) {}

    private WebSocket ws;
    private CompletableFuture<WebSocket> sending;
    private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final List<byte[]> pcm = new ArrayList<>();
    private long[] arrivals = new long[1024];
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream binaryPart = new ByteArrayOutputStream();
    private final StringBuilder textPart = new StringBuilder();
    private final ScheduledExecutorService slowReader;
    private final long readDelayMillis;

    private StreamClient(ScheduledExecutorService slowReader, long readDelayMillis) {
        this.slowReader = slowReader;
        this.readDelayMillis = readDelayMillis;
    }

    /**
     * Opens a stream.
     *
     * @param http            the client (one can serve many streams)
     * @param uri             ws://host:port/v1/stream
     * @param token           bearer token, or null
     * @param slowReader      with {@code readDelayMillis} > 0: where the delayed reads are scheduled
     * @param readDelayMillis pause before reading each next message (a slow client), 0 for none
     * @return the connected client
     */
    public static StreamClient connect(
            HttpClient http, URI uri, String token, ScheduledExecutorService slowReader, long readDelayMillis)
            throws Exception {
        StreamClient c = new StreamClient(slowReader, readDelayMillis);
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        c.ws = b.buildAsync(uri, c).get(10, TimeUnit.SECONDS);
        c.sending = CompletableFuture.completedFuture(c.ws);
        return c;
    }

    public static StreamClient connect(HttpClient http, URI uri) throws Exception {
        return connect(http, uri, null, null, 0);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (this) {
            textPart.append(data);
            if (last) {
                texts.add(textPart.toString());
                textPart.setLength(0);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        long now = System.nanoTime();
        synchronized (this) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binaryPart.writeBytes(chunk);
            if (last) {
                if (pcm.size() == arrivals.length) {
                    arrivals = Arrays.copyOf(arrivals, 2 * arrivals.length);
                }
                arrivals[pcm.size()] = now;
                pcm.add(binaryPart.toByteArray());
                binaryPart.reset();
            }
        }
        if (readDelayMillis > 0 && last) {
            slowReader.schedule(() -> webSocket.request(1), readDelayMillis, TimeUnit.MILLISECONDS);
        } else {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(1006, String.valueOf(error)));
    }

    /** Sends a text message after the ones before it. */
    public synchronized CompletableFuture<WebSocket> sendText(String text) {
        sending = sending.thenCompose(w -> w.sendText(text, true));
        return sending;
    }

    /** Sends a binary message (the buffer's remaining bytes, not copied) after the ones before it. */
    public synchronized CompletableFuture<WebSocket> sendBinary(ByteBuffer message) {
        sending = sending.thenCompose(w -> w.sendBinary(message, true));
        return sending;
    }

    /** Sends frames {@code [from, to)} as one binary message of little-endian float32. */
    public CompletableFuture<WebSocket> sendFrames(float[][] frames, int from, int to) {
        return sendBinary(encode(frames, from, to));
    }

    public static ByteBuffer encode(float[][] frames, int from, int to) {
        int values = frames[from].length;
        ByteBuffer b = ByteBuffer.allocate((to - from) * values * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = from; t < to; t++) {
            for (float v : frames[t]) {
                b.putFloat(v);
            }
        }
        // the bytes are little-endian; the buffer goes out big-endian because the JDK's WebSocket client
        // masks a little-endian buffer eight bytes at a time in the wrong order (seen on JDK 17)
        return b.flip().order(ByteOrder.BIG_ENDIAN);
    }

    /** {@return the next text message, waiting up to the timeout} */
    public String nextText(Duration timeout) throws InterruptedException, TimeoutException {
        String s = texts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null) {
            throw new TimeoutException("no text message within " + timeout);
        }
        return s;
    }

    /** {@return how the stream closed, waiting up to the timeout} */
    public Closed awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** {@return the PCM messages received so far, in order} */
    public synchronized List<byte[]> pcm() {
        return new ArrayList<>(pcm);
    }

    public synchronized int pcmCount() {
        return pcm.size();
    }

    /** {@return System.nanoTime() at which PCM message i was complete} */
    public synchronized long arrival(int i) {
        return arrivals[i];
    }

    /** Drops the connection without a close frame (a client that vanishes). */
    public void abort() {
        ws.abort();
    }

    /** Sends a close frame. */
    public void close(int code, String reason) {
        sending.thenCompose(w -> w.sendClose(code, reason));
    }
}
