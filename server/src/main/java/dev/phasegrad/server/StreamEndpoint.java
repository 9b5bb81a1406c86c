package dev.phasegrad.server;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.phasegrad.server.ServerMetrics.CloseReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One WebSocket stream: the setup message builds its inverter, binary messages of frames come back as one
 * PCM message per frame, {@code {"end":true}} sends the tail and closes. Jetty delivers a session's
 * messages one at a time; the lock only orders them against the close callback of a vanished client.
 *
 * <p>PCM goes out of a pool of at most {@link ServerConfig#maxQueued()} buffers, each back in the pool
 * when Jetty has written it: a client that reads slower than it sends empties the pool, and the stream is
 * then closed instead of buffering without bound. In steady state a frame allocates nothing here.
 *
 * <p>Public only because Jetty looks up the listener methods of a public class; nothing else builds one.
 */
public final class StreamEndpoint implements Session.Listener.AutoDemanding {
    static final int NORMAL = 1000;
    static final int UNSUPPORTED = 1003;
    static final int BAD_DATA = 1007;
    static final int POLICY = 1008;
    static final int SERVER_ERROR = 1011;
    static final int TRY_LATER = 1013;
    /** A close frame's reason is at most 123 bytes of UTF-8. */
    private static final int MAX_REASON_BYTES = 123;

    private final InversionServer.Shared shared;
    private Session session;
    private boolean counted;
    private boolean ended;
    private boolean released;
    private CloseReason reason;
    private StreamSetup setup;
    private Voice voice;
    private float[] frame;
    private float[] pcm;
    private long frames;
    private volatile ArrayBlockingQueue<Out> free;
    private int allocated;

    StreamEndpoint(InversionServer.Shared shared) {
        this.shared = shared;
    }

    @Override
    public synchronized void onWebSocketOpen(Session s) {
        this.session = s;
        int max = shared.config.maxStreams();
        if (shared.metrics.open.incrementAndGet() > max) {
            shared.metrics.open.decrementAndGet();
            fail(TRY_LATER, "server at capacity: " + max + " streams open; try again later", CloseReason.capacity);
            return;
        }
        counted = true;
        s.addIdleTimeoutListener(e -> {
            markReason(CloseReason.idle);
            return true;
        });
    }

    @Override
    public synchronized void onWebSocketText(String message) {
        if (ended) {
            return;
        }
        if (voice == null) {
            start(message);
            return;
        }
        Map<String, Object> command;
        try {
            command = JSON.std.mapFrom(message);
        } catch (IOException | RuntimeException e) {
            command = null;
        }
        if (command != null && Boolean.TRUE.equals(command.get("end")) && command.size() == 1) {
            end();
        } else if (command != null && Boolean.TRUE.equals(command.get("snapshot")) && command.size() == 1) {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("state", Base64.getEncoder().encodeToString(voice.snapshot()));
            reply.put("frames", frames);
            sendJson(reply);
        } else {
            fail(
                    UNSUPPORTED,
                    "unknown command " + abbreviate(message, 40) + "; commands: {\"end\":true}, "
                            + "{\"snapshot\":true}",
                    CloseReason.protocol);
        }
    }

    private void start(String message) {
        Voice v;
        try {
            setup = StreamSetup.parse(message);
            v = setup.build();
        } catch (IllegalArgumentException e) {
            fail(BAD_DATA, "setup: " + e.getMessage(), CloseReason.bad_setup);
            return;
        }
        if (setup.resume() != null) {
            try {
                v.restore(setup.resume());
            } catch (IllegalArgumentException e) {
                fail(BAD_DATA, "resume token refused: " + e.getMessage(), CloseReason.bad_setup);
                return;
            }
            frames = Voice.framesOf(setup.resume());
        }
        voice = v;
        frame = new float[v.values()];
        pcm = new float[Math.max(v.hop(), v.maxFlushSamples())];
        free = new ArrayBlockingQueue<>(shared.config.maxQueued());
        shared.metrics.streamStarted();
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("method", setup.method().catalogueName());
        reply.put("hop", v.hop());
        reply.put("bins", v.values());
        reply.put("frameBytes", 4 * v.values());
        reply.put("latencySamples", v.latencySamples());
        reply.put("sampleRate", v.sampleRate());
        reply.put("output", setup.output().name());
        reply.put("frames", frames);
        reply.put("state", "send {\"snapshot\":true} for a resume token");
        sendJson(reply);
    }

    @Override
    public synchronized void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            if (ended) {
                return;
            }
            if (voice == null) {
                fail(UNSUPPORTED, "binary message before the setup message", CloseReason.protocol);
                return;
            }
            int values = frame.length;
            int frameBytes = 4 * values;
            int n = payload.remaining();
            if (n == 0 || n % frameBytes != 0) {
                fail(
                        BAD_DATA,
                        "frame " + frames + ": message of " + n + " bytes is not a whole number of frames of " + values
                                + " float32 (" + frameBytes + " bytes)",
                        CloseReason.bad_frame);
                return;
            }
            int pos = payload.position();
            // the frames are little-endian; Jetty's buffer may be in either order, and is left as it is
            boolean swap = payload.order() == ByteOrder.BIG_ENDIAN;
            for (int f = 0; f < n / frameBytes; f++) {
                for (int k = 0; k < values; k++, pos += 4) {
                    int bits = payload.getInt(pos);
                    frame[k] = Float.intBitsToFloat(swap ? Integer.reverseBytes(bits) : bits);
                }
                if (!pushFrame()) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            fail(SERVER_ERROR, "internal error: " + e, CloseReason.error);
        } finally {
            callback.succeed();
        }
    }

    private boolean pushFrame() {
        long t0 = System.nanoTime();
        int samples;
        try {
            samples = voice.push(frame, pcm);
        } catch (IllegalArgumentException e) {
            fail(BAD_DATA, e.getMessage(), CloseReason.bad_frame);
            return false;
        }
        Out out = free.poll();
        if (out == null) {
            if (allocated == shared.config.maxQueued()) {
                slowClient();
                return false;
            }
            allocated++;
            out = new Out(4 * voice.hop());
        }
        ByteBuffer buf = out.buf;
        buf.clear();
        encode(pcm, samples, buf);
        buf.flip();
        frames++;
        session.sendBinary(buf, out);
        shared.metrics.frame(System.nanoTime() - t0);
        return true;
    }

    private void encode(float[] samples, int n, ByteBuffer buf) {
        if (setup.output() == StreamSetup.PcmFormat.f32le) {
            for (int i = 0; i < n; i++) {
                buf.putFloat(samples[i]);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            // as WavWriter's 16-bit output: round(x * 32768), clipped
            long q = Math.round(samples[i] * 32768.0);
            buf.putShort((short) Math.max(-32768, Math.min(32767, q)));
        }
    }

    private void end() {
        int n = voice.flush(pcm);
        ByteBuffer tail = ByteBuffer.allocate(n * setup.output().bytes).order(ByteOrder.LITTLE_ENDIAN);
        encode(pcm, n, tail);
        tail.flip();
        session.sendBinary(tail, Callback.NOOP);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("end", true);
        reply.put("frames", frames);
        reply.put("tailSamples", n);
        sendJson(reply);
        markReason(CloseReason.end);
        ended = true;
        session.close(NORMAL, "end of stream", Callback.NOOP);
    }

    private void slowClient() {
        int queued = shared.config.maxQueued();
        fail(
                POLICY,
                "slow client: " + queued + " PCM messages unsent at frame " + frames + "; read faster",
                CloseReason.slow_client);
        // the close frame waits behind the unsent PCM; a client that reads nothing never gets it
        Session s = session;
        shared.scheduler.schedule(
                () -> {
                    if (s.isOpen()) {
                        s.disconnect();
                    }
                },
                2,
                TimeUnit.SECONDS);
    }

    /** Ends the stream with a close code and reason; the full message goes first as {@code {"error": ...}}. */
    private void fail(int code, String message, CloseReason why) {
        if (ended) {
            return;
        }
        ended = true;
        markReason(why);
        if (code != POLICY) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", message);
            error.put("code", code);
            sendJson(error);
        }
        session.close(code, truncate(message), Callback.NOOP);
    }

    private void markReason(CloseReason why) {
        if (reason == null) {
            reason = why;
        }
    }

    private void sendJson(Map<String, Object> tree) {
        try {
            session.sendText(JSON.std.asString(tree), Callback.NOOP);
        } catch (IOException e) {
            throw new IllegalStateException("JSON of a map of strings and numbers", e);
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        release(CloseReason.vanished);
    }

    @Override
    public void onWebSocketClose(int statusCode, String closeReason) {
        // reasons the server chose are already marked; what is left is the client's doing or Jetty's limit
        release(
                statusCode == NORMAL
                        ? CloseReason.end
                        : statusCode == 1009 ? CloseReason.too_big : CloseReason.vanished);
    }

    /** Frees the stream's state once, whichever of close and error comes first, and counts why it ended. */
    private synchronized void release(CloseReason fallback) {
        if (released) {
            return;
        }
        released = true;
        ended = true;
        if (counted) {
            shared.metrics.open.decrementAndGet();
        }
        shared.metrics.closed(reason != null ? reason : fallback);
        voice = null;
        frame = null;
        pcm = null;
        free = null;
    }

    static String truncate(String message) {
        byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_REASON_BYTES) {
            return message;
        }
        String s = message;
        while (s.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES - 3) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "...";
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /** A pooled PCM buffer; Jetty completes it when the message is written, which returns it to the pool. */
    private final class Out implements Callback {
        final ByteBuffer buf;

        Out(int capacity) {
            buf = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void succeed() {
            ArrayBlockingQueue<Out> pool = free;
            if (pool != null) {
                pool.offer(this);
            }
        }

        @Override
        public void fail(Throwable x) {
            succeed();
        }
    }
}
