/**
 * Log-mel front ends: {@link dev.phasegrad.features.FeatureSpec} declares one (HiFi-GAN's and Vocos's
 * presets, or any other), {@link dev.phasegrad.features.LogMelAnalysis} computes its features from
 * audio, {@link dev.phasegrad.features.MelInversion} takes them back to linear magnitudes, and
 * {@link dev.phasegrad.features.FeatureGrid} relates the feature frames to phasegrad's STFT grid.
 * {@link dev.phasegrad.MelVocoder} puts these together with a phase method as a streaming vocoder.
 *
 * <p>A complete program (run it with {@code java -cp cli/target/phasegrad.jar Vocode.java}): the
 * embedded speech clip to HiFi-GAN features, as a TTS model would emit them, and back to audio.
 * <pre>{@code
 * import dev.phasegrad.MelVocoder;
 * import dev.phasegrad.Method;
 * import dev.phasegrad.audio.Audio;
 * import dev.phasegrad.audio.WavWriter;
 * import dev.phasegrad.features.FeatureGrid;
 * import dev.phasegrad.features.FeatureSpec;
 * import dev.phasegrad.features.LogMelAnalysis;
 * import java.nio.file.Path;
 *
 * public class Vocode {
 *     public static void main(String[] args) throws Exception {
 *         FeatureSpec spec = FeatureSpec.HIFIGAN;            // or FeatureSpec.parse("vocos,bands=80"), ...
 *         Audio speech = Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav").resample(spec.sampleRate());
 *         float[][] logMel = new LogMelAnalysis(spec).logMel(speech.samples());   // [frames][80], as a TTS model emits
 *
 *         MelVocoder vocoder = MelVocoder.builder().features(spec).method(Method.RTPGHI_LA1).build();
 *         float[] audio = new float[FeatureGrid.outputLength(spec, logMel.length)];  // 256 per frame here
 *         float[] pcm = new float[Math.max(vocoder.hop(), vocoder.maxFlushSamples())];
 *         int n = 0;
 *         for (float[] frame : logMel) {
 *             int k = vocoder.push(frame, pcm);                  // one hop (fewer while the stream starts)
 *             System.arraycopy(pcm, 0, audio, n, k);
 *             n += k;
 *         }
 *         System.arraycopy(pcm, 0, audio, n, vocoder.flush(pcm));
 *         WavWriter.writePcm16(Path.of("vocoded.wav"), audio, spec.sampleRate());   // aligned with speech
 *         System.out.println(speech.length() + " samples in, " + audio.length + " out");
 *     }
 * }
 * }</pre>
 */
package dev.phasegrad.features;
