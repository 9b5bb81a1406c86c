package dev.phasegrad.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * How a {@link InversionServer} listens and what it allows.
 *
 * @param bind            address to listen on; a non-loopback one needs a token or {@code insecure}
 * @param port            TCP port, 0 for any free one
 * @param token           bearer token the clients must present, or null for none
 * @param insecure        allow a non-loopback bind without a token
 * @param maxStreams      streams open at once; one more is closed with 1013
 * @param maxMessageBytes largest binary message (frames) accepted; larger ones close the stream with 1009
 * @param idleTimeout     a stream that sends nothing for this long is closed
 * @param maxQueued       PCM messages a stream may have waiting for its client; one more closes it (slow client)
 */
public record ServerConfig(
        String bind,
        int port,
        String token,
        boolean insecure,
        int maxStreams,
        int maxMessageBytes,
        Duration idleTimeout,
        int maxQueued) {
    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxStreams < 1) {
            throw new IllegalArgumentException("max streams must be at least 1, got " + maxStreams);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("max message size must be at least 1024 bytes, got " + maxMessageBytes);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive, got " + idleTimeout);
        }
        if (maxQueued < 1) {
            throw new IllegalArgumentException("max queued messages must be at least 1, got " + maxQueued);
        }
        if (token != null && token.isEmpty()) {
            throw new IllegalArgumentException("token must not be empty");
        }
    }

    /** Loopback, port 8080, no token, 64 streams, 1 MiB messages, 30 s idle, 256 queued PCM messages. */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 8080, null, false, 64, 1 << 20, Duration.ofSeconds(30), 256);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(bind, p, token, insecure, maxStreams, maxMessageBytes, idleTimeout, maxQueued);
    }

    public ServerConfig withBind(String b) {
        return new ServerConfig(b, port, token, insecure, maxStreams, maxMessageBytes, idleTimeout, maxQueued);
    }

    public ServerConfig withToken(String t, boolean allowInsecure) {
        return new ServerConfig(bind, port, t, allowInsecure, maxStreams, maxMessageBytes, idleTimeout, maxQueued);
    }

    public ServerConfig withLimits(int streams, int messageBytes, Duration idle, int queued) {
        return new ServerConfig(bind, port, token, insecure, streams, messageBytes, idle, queued);
    }

    /**
     * Refuses a bind address other than loopback without a token (unless {@code insecure}).
     *
     * @throws IllegalArgumentException naming the address and the options that allow it
     */
    void checkExposure() {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + bind + ": unknown host");
        }
        if (!address.isLoopbackAddress() && token == null && !insecure) {
            throw new IllegalArgumentException("--bind " + bind + " is not a loopback address: give --token so that "
                    + "only clients with it can stream, or --insecure to serve anyone who can reach it");
        }
    }
}
