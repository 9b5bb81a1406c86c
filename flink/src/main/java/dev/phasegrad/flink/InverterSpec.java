package dev.phasegrad.flink;

import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the job's inverters are: method, STFT settings (periodic Hann), sample rate, whether frames are
 * ln|X|, an optional model file, and how long a stream may stay silent before it is evicted. Travels
 * with the job graph (Java-serialized with the function, once per task); the inverters and models
 * themselves are built on the task managers, never serialized or kept in state.
 *
 * @param method          catalogue name or alias, e.g. {@code phasegrad}, {@code rtpghi-la1}
 * @param fftSize         FFT size and window length N
 * @param hop             hop in samples
 * @param sampleRate      Hz
 * @param logMagnitude    frames carry ln|X| instead of |X|
 * @param modelFile       a {@code .pgnn} file present on every task manager, or null for the built-in model
 * @param idleTimeoutMillis processing time after a stream's last frame at which it is flushed and evicted
 */
public record InverterSpec(
        String method,
        int fftSize,
        int hop,
        int sampleRate,
        boolean logMagnitude,
        String modelFile,
        long idleTimeoutMillis)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Model files read by this JVM, shared by every task slot in it (models are immutable). */
    private static final Map<String, PhaseModel> MODELS = new ConcurrentHashMap<>();

    public InverterSpec {
        Method.fromName(method); // an unknown name fails when the job is built, not on the cluster
        if (idleTimeoutMillis < 1) {
            throw new IllegalArgumentException("idle timeout must be at least 1 ms, got " + idleTimeoutMillis);
        }
    }

    /** {@return {@code method} at 1024/256, 16 kHz, linear magnitudes, built-in model, 60 s idle timeout} */
    public static InverterSpec of(Method method) {
        return new InverterSpec(method.catalogueName(), 1024, 256, 16000, false, null, 60_000);
    }

    /** {@return this with another idle timeout} */
    public InverterSpec withIdleTimeout(long millis) {
        return new InverterSpec(method, fftSize, hop, sampleRate, logMagnitude, modelFile, millis);
    }

    /** {@return the STFT settings} */
    public StftConfig stft() {
        return StftConfig.hann(fftSize, hop).withSampleRate(sampleRate);
    }

    /**
     * A new inverter for one stream; the model (built-in or {@link #modelFile}) is loaded on first use
     * in this JVM and shared.
     *
     * @return an inverter ready for a stream's first frame
     * @throws IllegalArgumentException for settings no model ships for, a model of other settings
     * @throws UncheckedIOException     if the model file cannot be read
     */
    public PhaseInverter build() {
        PhaseInverter.Builder b = PhaseInverter.builder().method(method).stft(stft());
        if (modelFile != null) {
            b.model(MODELS.computeIfAbsent(modelFile, f -> {
                try {
                    return PhaseModel.read(Path.of(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        return b.build();
    }
}
