package dev.phasegrad.testing;

import dev.phasegrad.audio.Audio;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The shipped speech clip for tests (Asterisk prompt, CC BY-SA 3.0; see clips/SOURCE-AND-LICENSE.txt). */
public final class TestAudio {
    private TestAudio() {}

    public static float[] clip(int sampleRate) {
        return clip("auth-incorrect", sampleRate);
    }

    public static float[] clip(String name, int sampleRate) {
        try {
            return Audio.readResource("/dev/phasegrad/clips/" + name + ".wav")
                    .resample(sampleRate)
                    .samples();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
