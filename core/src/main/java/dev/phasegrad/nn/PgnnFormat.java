package dev.phasegrad.nn;

import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.MelScale;
import dev.phasegrad.stft.StftConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The model file format, {@code .pgnn}, as {@link PhaseModel#write(OutputStream)} describes it: the
 * writer, and the reader with the checks that turn a truncated, corrupt, foreign or newer file into
 * one IOException naming the file and the problem.
 */
final class PgnnFormat {
    /** The version phase models are written as; mel refiners are written as {@link PhaseModel#VERSION}. */
    static final int PHASE_VERSION = 1;

    private static final byte[] MAGIC = {'P', 'G', 'N', 'N'};

    private PgnnFormat() {}

    /** Writes {@code m} to {@code out} (not closed). */
    static void write(PhaseModel m, OutputStream out) throws IOException {
        FeatureSpec melFeatures = m.melFeatures();
        StftConfig config = m.config();
        InputFeatures features = m.features();
        float[] params = m.params();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bytes);
        d.write(MAGIC);
        d.writeInt(melFeatures != null ? PhaseModel.VERSION : PHASE_VERSION);
        d.writeUTF(m.kind());
        d.writeInt(config.fftSize());
        d.writeInt(config.windowLength());
        d.writeInt(config.hop());
        d.writeInt(config.sampleRate());
        d.writeUTF("hann");
        d.writeByte(features.mode().ordinal());
        d.writeFloat(features.relativeFloor());
        d.writeFloat(features.absoluteFloor());
        d.writeFloat(features.scale());
        d.writeInt(m.inputFrames());
        d.writeInt(m.stride());
        d.writeInt(m.lookahead());
        d.writeFloat(m.lsP());
        d.writeFloat(m.lsGamma0());
        d.writeUTF(m.info());
        if (melFeatures != null) {
            writeMel(d, melFeatures, m.nnlsIterations());
        }
        d.writeInt(m.networks().size());
        for (NetworkSpec n : m.networks()) {
            d.writeInt(n.inChannels());
            d.writeInt(n.trunk().size());
            for (LayerSpec l : n.trunk()) {
                writeLayer(d, l);
            }
            d.writeInt(n.heads().size());
            for (HeadSpec h : n.heads()) {
                d.writeByte(h.target().ordinal());
                d.writeInt(h.frameOffset());
                d.writeByte(h.encoding().ordinal());
                writeLayer(d, h.layer());
            }
        }
        d.writeInt(params.length);
        for (float p : params) {
            d.writeFloat(p);
        }
        d.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        d.writeInt((int) crc.getValue());
        d.flush();
        bytes.writeTo(out);
    }

    /** Reads a model from the rest of {@code in} (not closed); {@code source} names it in error messages. */
    static PhaseModel read(InputStream in, String source) throws IOException {
        byte[] all = in.readAllBytes();
        if (all.length < 12 || !Arrays.equals(Arrays.copyOf(all, 4), MAGIC)) {
            throw new IOException(source + ": not a phasegrad model file (magic 'PGNN' missing)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 4);
        int stored = ((all[all.length - 4] & 0xff) << 24)
                | ((all[all.length - 3] & 0xff) << 16)
                | ((all[all.length - 2] & 0xff) << 8)
                | (all[all.length - 1] & 0xff);
        DataInputStream d = new DataInputStream(new ByteArrayInputStream(all, 4, all.length - 4));
        try {
            int version = d.readInt();
            if (version < PHASE_VERSION || version > PhaseModel.VERSION) {
                throw new IOException(source + ": model file version " + version + ", this build reads versions "
                        + PHASE_VERSION + " to " + PhaseModel.VERSION);
            }
            if ((int) crc.getValue() != stored) {
                throw new IOException(source + ": checksum mismatch, the model file is corrupt");
            }
            String kind = d.readUTF();
            int fft = d.readInt();
            int win = d.readInt();
            int hop = d.readInt();
            int rate = d.readInt();
            String window = d.readUTF();
            if (!window.equals("hann")) {
                throw new IOException(source + ": window '" + window + "' is not supported (only hann)");
            }
            StftConfig config = new StftConfig(fft, win, hop, rate);
            InputFeatures.Mode mode = enumAt(InputFeatures.Mode.values(), d.readByte(), source, "normalisation mode");
            InputFeatures features = new InputFeatures(mode, d.readFloat(), d.readFloat(), d.readFloat());
            int inputFrames = d.readInt();
            int stride = d.readInt();
            int lookahead = d.readInt();
            if (lookahead != stride - 1) {
                throw new IOException(source + ": look-ahead " + lookahead + " does not match stride " + stride);
            }
            float p = d.readFloat();
            float gamma0 = d.readFloat();
            String info = d.readUTF();
            FeatureSpec mel = null;
            int iterations = 0;
            if (version >= 2) {
                mel = readMel(d, source);
                iterations = d.readInt();
            }
            int nNets = d.readInt();
            if (nNets < 1 || nNets > 16) {
                throw new IOException(source + ": implausible network count " + nNets);
            }
            List<NetworkSpec> nets = new ArrayList<>();
            for (int n = 0; n < nNets; n++) {
                int inCh = d.readInt();
                int nTrunk = d.readInt();
                checkCount(nTrunk, source, "trunk layers");
                List<LayerSpec> trunk = new ArrayList<>();
                for (int i = 0; i < nTrunk; i++) {
                    trunk.add(readLayer(d, source));
                }
                int nHeads = d.readInt();
                checkCount(nHeads, source, "heads");
                List<HeadSpec> heads = new ArrayList<>();
                for (int h = 0; h < nHeads; h++) {
                    HeadSpec.Target target = enumAt(HeadSpec.Target.values(), d.readByte(), source, "head target");
                    int offset = d.readInt();
                    HeadSpec.Encoding enc = enumAt(HeadSpec.Encoding.values(), d.readByte(), source, "head encoding");
                    heads.add(new HeadSpec(target, offset, enc, readLayer(d, source)));
                }
                nets.add(new NetworkSpec(inCh, trunk, heads));
            }
            int count = d.readInt();
            if (count < 0 || count > 50_000_000) {
                throw new IOException(source + ": implausible parameter count " + count);
            }
            float[] params = new float[count];
            for (int i = 0; i < count; i++) {
                params[i] = d.readFloat();
            }
            if (d.available() != 4) {
                throw new IOException(source + ": " + (d.available() - 4) + " unexpected trailing bytes");
            }
            return new PhaseModel(
                    kind, config, features, inputFrames, stride, p, gamma0, info, nets, mel, iterations, params);
        } catch (EOFException e) {
            throw new IOException(source + ": model file is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": invalid model: " + e.getMessage(), e);
        }
    }

    private static void writeMel(DataOutputStream d, FeatureSpec f, int iterations) throws IOException {
        d.writeUTF(f.name());
        d.writeInt(f.sampleRate());
        d.writeInt(f.fftSize());
        d.writeInt(f.hop());
        d.writeInt(f.windowLength());
        d.writeInt(f.padding());
        d.writeBoolean(f.reflectPadding());
        d.writeDouble(f.magnitudeEpsilon());
        d.writeInt(f.power());
        d.writeUTF(f.scale() == MelScale.SLANEY ? "slaney" : "htk");
        d.writeBoolean(f.slaneyNorm());
        d.writeDouble(f.fMin());
        d.writeDouble(f.fMax());
        d.writeInt(f.bands());
        d.writeUTF(f.log());
        d.writeDouble(f.clamp());
        d.writeInt(iterations);
    }

    private static FeatureSpec readMel(DataInputStream d, String source) throws IOException {
        String name = d.readUTF();
        int rate = d.readInt();
        int fft = d.readInt();
        int hop = d.readInt();
        int win = d.readInt();
        int pad = d.readInt();
        boolean reflect = d.readBoolean();
        double eps = d.readDouble();
        int power = d.readInt();
        String scaleName = d.readUTF();
        MelScale scale = switch (scaleName) {
            case "slaney" -> MelScale.SLANEY;
            case "htk" -> MelScale.HTK;
            default -> throw new IOException(source + ": unknown mel scale '" + scaleName + "'");
        };
        boolean norm = d.readBoolean();
        double fMin = d.readDouble();
        double fMax = d.readDouble();
        int bands = d.readInt();
        String log = d.readUTF();
        double clamp = d.readDouble();
        return new FeatureSpec(
                name, rate, fft, hop, win, pad, reflect, eps, power, scale, norm, fMin, fMax, bands, log, clamp);
    }

    private static void writeLayer(DataOutputStream d, LayerSpec l) throws IOException {
        d.writeByte(l.kind().ordinal());
        d.writeInt(l.inChannels());
        d.writeInt(l.outChannels());
        d.writeInt(l.kernel());
        d.writeInt(l.dilation());
        d.writeInt(l.padLeft());
        d.writeInt(l.lengthDelta());
        d.writeByte(l.activation().ordinal());
        d.writeInt(l.skipFrom());
    }

    private static void checkCount(int n, String source, String what) throws IOException {
        if (n < 1 || n > 256) {
            throw new IOException(source + ": implausible number of " + what + ": " + n);
        }
    }

    private static LayerSpec readLayer(DataInputStream d, String source) throws IOException {
        LayerSpec.Kind kind = enumAt(LayerSpec.Kind.values(), d.readByte(), source, "layer kind");
        int in = d.readInt();
        int out = d.readInt();
        int k = d.readInt();
        int dil = d.readInt();
        int pad = d.readInt();
        int delta = d.readInt();
        LayerSpec.Activation act = enumAt(LayerSpec.Activation.values(), d.readByte(), source, "activation");
        int skip = d.readInt();
        if (in > 4096 || out > 4096 || k > 1024 || dil > 1024) {
            throw new IOException(source + ": implausible layer size " + in + "→" + out + " k=" + k + " d=" + dil);
        }
        return new LayerSpec(kind, in, out, k, dil, pad, delta, act, skip);
    }

    private static <E> E enumAt(E[] values, int ordinal, String source, String what) throws IOException {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IOException(source + ": unknown " + what + " code " + ordinal);
        }
        return values[ordinal];
    }
}
