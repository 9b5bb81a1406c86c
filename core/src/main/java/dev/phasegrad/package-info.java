/**
 * phasegrad's public entry point: streaming spectrogram inversion with {@link dev.phasegrad.PhaseInverter}.
 *
 * <p>Magnitude frames in, audio out, one hop per frame, no allocation per frame:
 * <pre>{@code
 * PhaseInverter inv = PhaseInverter.builder()
 *         .method(Method.PHASEGRAD).stft(StftConfig.hann(1024, 256)).sampleRate(16000).build();
 * float[] pcm = new float[inv.hop()];
 * for (float[] magnitudeFrame : frames) {          // inv.bins() = 513 values each, |X| >= 0
 *     int n = inv.push(magnitudeFrame, pcm);      // always inv.hop() samples
 *     sink.write(pcm, 0, n);
 * }
 * float[] tail = new float[inv.latencySamples()];
 * sink.write(tail, 0, inv.flush(tail));            // the end of the stream; inv is ready for the next
 * }</pre>
 * The output is the analysed signal delayed by {@code inv.latencySamples()} samples. Frames are on the
 * frame grid and in the phase convention of {@link dev.phasegrad.stft.StftConfig}; analyse audio with
 * {@link dev.phasegrad.stft.StreamingStft} or {@link dev.phasegrad.stft.Stft} to get them from a signal.
 *
 * <p>Methods ({@link dev.phasegrad.Method}): {@code phasegrad} (the tiny causal CNN with least-squares
 * integration, the default), {@code phasegrad-strided}, {@code masuyama2023}, {@code ls-heuristic},
 * {@code ls-heuristic-la1}, {@code rtpghi}, {@code rtpghi-la1}, {@code rtisi-la}, {@code spsi}. Network
 * methods run at the STFT settings a built-in model ships for, or with a model of one's own:
 * <pre>{@code
 * PhaseModel mine = PhaseModel.read(Path.of("runs/p512/best.pgnn"));    // once; share it
 * PhaseInverter inv = PhaseInverter.builder().model(mine).stft(mine.config()).build();
 * }</pre>
 *
 * <p>A stream can be saved and resumed elsewhere, bit for bit:
 * <pre>{@code
 * byte[] state = inv.snapshot();                   // compact, deterministic, versioned
 * PhaseInverter other = PhaseInverter.builder().method(Method.PHASEGRAD).build();
 * other.restore(state);                            // continues exactly where inv was
 * }</pre>
 *
 * <p>The module also exports {@code features} (log-mel front ends, with {@link dev.phasegrad.MelVocoder}),
 * {@code stft}, {@code audio} and {@code nn} ({@link dev.phasegrad.nn.PhaseModel}). The methods' building
 * blocks, and the full catalogue with the offline methods and oracle upper bounds ({@code invert.Methods}),
 * are exported to phasegrad's own modules only.
 */
package dev.phasegrad;
