package dev.phasegrad.server;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.InputFileException;
import dev.phasegrad.audio.WavWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The inversion service: WebSocket streams at {@code /v1/stream}, the page at {@code /}, {@code /health}
 * and Prometheus metrics at {@code /metrics}. Jetty's core server (no servlets).
 *
 * <pre>{@code
 * try (InversionServer s = InversionServer.start(ServerConfig.defaults().withPort(0))) {
 *     URI ws = s.streamUri();
 * }
 * }</pre>
 */
public final class InversionServer implements AutoCloseable {
    static final String STREAM_PATH = "/v1/stream";

    /** What every stream of one server shares: settings, metrics, the scheduler. */
    static final class Shared {
        final ServerConfig config;
        final ServerMetrics metrics = new ServerMetrics();
        Scheduler scheduler;

        Shared(ServerConfig config) {
            this.config = config;
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final Shared shared;
    private final byte[] tokenDigest;

    static {
        // Jetty reports every start and stop at info; a service log wants its warnings
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    private InversionServer(ServerConfig config) {
        config.checkExposure();
        this.shared = new Shared(config);
        this.tokenDigest = config.token() == null ? null : sha256(config.token());
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("phasegrad-serve");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(config.bind());
        connector.setPort(config.port());
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(config.idleTimeout());
            container.setMaxBinaryMessageSize(config.maxMessageBytes());
            // a resume token of the largest snapshot (rtisi-la 1024/256, 61 kB) is 82 kB of base64
            container.setMaxTextMessageSize(256 * 1024);
            container.addMapping(STREAM_PATH, (request, response, callback) -> {
                if (!authorized(request)) {
                    Response.writeError(
                            request,
                            response,
                            callback,
                            HttpStatus.UNAUTHORIZED_401,
                            "bearer token required (Authorization: Bearer <token>, or ?access_token=<token>)");
                    return null;
                }
                return new StreamEndpoint(shared);
            });
        });
        ws.setHandler(new Routes());
        server.setHandler(ws);
    }

    /**
     * Starts a server.
     *
     * @param config where to listen and the limits
     * @return the running server
     * @throws IllegalArgumentException for a non-loopback bind without token or {@code insecure}
     * @throws IOException              if the port cannot be bound
     */
    public static InversionServer start(ServerConfig config) throws IOException {
        InversionServer s = new InversionServer(config);
        try {
            s.server.start();
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            s.close();
            throw new IllegalStateException("server did not start: " + e, e);
        }
        s.shared.scheduler = s.server.getScheduler();
        return s;
    }

    /** {@return the port listened on (the chosen one when the config said 0)} */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@return the stream endpoint's address, ws://host:port/v1/stream} */
    public String streamUri() {
        return "ws://" + hostForUri() + ":" + port() + STREAM_PATH;
    }

    /** {@return the HTTP base address, http://host:port} */
    public String httpUri() {
        return "http://" + hostForUri() + ":" + port();
    }

    private String hostForUri() {
        String h = shared.config.bind();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** {@return streams open now} */
    public int openStreams() {
        return shared.metrics.open.get();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("server did not stop: " + e, e);
        }
    }

    /** The bearer token, from the Authorization header or (for browsers) the access_token query parameter. */
    private boolean authorized(Request request) {
        if (tokenDigest == null) {
            return true;
        }
        String presented = null;
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = header.substring(7).trim();
        } else {
            Fields query = Request.extractQueryParameters(request);
            presented = query.getValue("access_token");
        }
        // digests have one length whatever was sent, so the comparison takes the same time for every guess
        return presented != null && MessageDigest.isEqual(tokenDigest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the jar of " + owner.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The core's embedded clip as a 32-bit float WAV (the core's resources are its own: read, then written). */
    private static byte[] clipWav() {
        Audio a;
        try {
            a = Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav");
        } catch (InputFileException e) {
            throw new IllegalStateException("the embedded clip is missing from the core jar", e);
        }
        byte[] header = WavWriter.header(true, a.sampleRate(), a.length());
        ByteBuffer b = ByteBuffer.allocate(header.length + 4 * a.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        for (float x : a.samples()) {
            b.putFloat(x);
        }
        return b.array();
    }

    /** The plain HTTP routes; anything else is 404. */
    private final class Routes extends Handler.Abstract.NonBlocking {
        private final byte[] page = resource(InversionServer.class, "index.html");
        // the core's embedded speech clip, for the page's "embedded clip" source
        private final byte[] clip = clipWav();

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            String path = Request.getPathInContext(request);
            if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
                Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
                return true;
            }
            switch (path) {
                case "/", "/index.html" -> send(response, callback, "text/html; charset=utf-8", page);
                case "/clip.wav" -> send(response, callback, "audio/wav", clip);
                case "/health" ->
                    send(
                            response,
                            callback,
                            "application/json",
                            ("{\"status\":\"ok\",\"streams\":" + openStreams() + "}").getBytes(StandardCharsets.UTF_8));
                case "/metrics" -> {
                    if (!authorized(request)) {
                        Response.writeError(
                                request, response, callback, HttpStatus.UNAUTHORIZED_401, "bearer token required");
                    } else {
                        send(response, callback, ServerMetrics.CONTENT_TYPE, shared.metrics.text());
                    }
                }
                default -> Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
            return true;
        }

        private void send(Response response, Callback callback, String type, byte[] body) {
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
