/**
 * Audio and spectrogram file I/O — the start and end of phasegrad's data path; depends on nothing
 * else in phasegrad.
 *
 * <ul>
 *   <li>{@link dev.phasegrad.audio.Audio}: read WAV (also AIFF and AU) from a
 *       path, stream or classpath resource into mono float samples, optionally resampled.</li>
 *   <li>{@link dev.phasegrad.audio.Resampler}: band-limited, zero-delay rate conversion between any
 *       two integer rates.</li>
 *   <li>{@link dev.phasegrad.audio.WavWriter}: atomic 16-bit PCM (clip count returned) or 32-bit
 *       float WAV output.</li>
 *   <li>{@link dev.phasegrad.audio.Npy}: (frames, bins) spectrograms as NumPy .npy, validated on
 *       read.</li>
 *   <li>{@link dev.phasegrad.audio.InputFileException}: every input-file failure, as a one-line
 *       {@code "<file>: <problem>"} message.</li>
 * </ul>
 */
package dev.phasegrad.audio;
