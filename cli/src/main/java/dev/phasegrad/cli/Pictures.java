package dev.phasegrad.cli;

import dev.phasegrad.audio.AtomicFiles;
import dev.phasegrad.cli.bench.StageBench;
import dev.phasegrad.eval.MethodResult;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** PNG pictures for people: log-magnitude spectrograms and an ESTOI / cost bar chart (Java2D only). */
final class Pictures {
    private static final int LABEL_H = 18;

    private Pictures() {}

    /** Spectrograms of the original and of every reconstruction, stacked, in dB over an 80 dB range. */
    static void spectrograms(Path file, float[] original, List<MethodResult> results, StftConfig config)
            throws IOException {
        float[][] ref = Stft.magnitude(original, config);
        int frames = ref.length;
        int bins = config.bins();
        int w = 900; // resampled in time so pictures of short and long clips read alike
        int h = Math.min(bins, 256);
        int panels = results.size() + 1;
        BufferedImage img = new BufferedImage(w, panels * (h + LABEL_H), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double peak = 1e-12;
        for (float[] f : ref) {
            for (float v : f) {
                peak = Math.max(peak, v);
            }
        }
        for (int p = 0; p < panels; p++) {
            float[][] mag = p == 0 ? ref : Stft.magnitude(results.get(p - 1).output(), config);
            String label = p == 0
                    ? "original"
                    : String.format(
                            Locale.ROOT,
                            "%s   ESTOI %.3f   SC %.1f dB",
                            results.get(p - 1).method(),
                            results.get(p - 1).scores().estoi(),
                            results.get(p - 1).scores().scDb());
            int y0 = p * (h + LABEL_H);
            g.setColor(Color.BLACK);
            g.fillRect(0, y0, w, LABEL_H);
            g.setColor(Color.WHITE);
            g.drawString(label, 4, y0 + 13);
            for (int x = 0; x < w; x++) {
                int t = (int) ((long) x * frames / w);
                for (int y = 0; y < h; y++) {
                    int k = (int) ((long) (h - 1 - y) * bins / h);
                    double db = 20 * Math.log10(Math.max(mag[t][k], 1e-12) / peak);
                    img.setRGB(x, y0 + LABEL_H + y, colour(Math.max(0, Math.min(1, (db + 80) / 80))));
                }
            }
        }
        g.dispose();
        write(img, file);
    }

    /** Horizontal bars of ESTOI per method, with µs per frame printed beside. */
    static void estoiChart(Path file, List<MethodResult> rows, StftConfig config) throws IOException {
        int rowH = 24;
        int w = 760;
        int left = 150;
        int h = 40 + rows.size() * rowH + 20;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("ESTOI by method (axis 0.80 to 1.00), " + config, 10, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double lo = 0.8;
        int barMax = w - left - 170;
        for (int i = 0; i < rows.size(); i++) {
            MethodResult r = rows.get(i);
            int y = 40 + i * rowH;
            double v = Math.max(lo, Math.min(1, r.scores().estoi()));
            int len = (int) Math.round(barMax * (v - lo) / (1 - lo));
            g.setColor(Color.BLACK);
            g.drawString(r.method(), 10, y + 15);
            g.setColor(new Color(0x3B6FB6));
            g.fillRect(left, y + 3, Math.max(1, len), rowH - 8);
            g.setColor(Color.BLACK);
            g.drawString(
                    String.format(
                            Locale.ROOT, "%.4f   %.0f us/frame", r.scores().estoi(), r.microsPerFrame()),
                    left + len + 6,
                    y + 15);
        }
        g.setStroke(new BasicStroke(1f));
        g.drawLine(left, 36, left, h - 16);
        g.dispose();
        write(img, file);
    }

    /** Horizontal bars of end-to-end µs per frame (streaming methods) per STFT setting, from 'bench stages'. */
    static void costChart(Path file, List<StageBench.Row> rows) throws IOException {
        List<StageBench.Row> streaming = new ArrayList<>();
        for (StageBench.Row r : rows) {
            if (r.lookahead() >= 0) {
                streaming.add(r);
            }
        }
        int rowH = 22;
        int w = 820;
        int left = 230;
        int h = 40 + streaming.size() * rowH + 30;
        // log scale: the costs span four decades (SPSI to prior-sota), a linear axis hides all but one
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (StageBench.Row r : streaming) {
            min = Math.min(min, r.totalUs());
            max = Math.max(max, r.totalUs());
        }
        double lo = streaming.isEmpty() ? 1 : Math.pow(10, Math.floor(Math.log10(Math.max(min, 1e-3))));
        double hi = streaming.isEmpty() ? 10 : Math.pow(10, Math.ceil(Math.log10(Math.max(max, lo * 10))));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("End-to-end CPU time per frame, one thread (STFT + phase + ISTFT), log scale", 10, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int barMax = w - left - 190;
        int bottom = 40 + streaming.size() * rowH;
        for (double tick = lo; tick <= hi * 1.0001; tick *= 10) {
            int x = left + (int) Math.round(barMax * Math.log(tick / lo) / Math.log(hi / lo));
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(x, 34, x, bottom);
            g.setColor(Color.DARK_GRAY);
            g.drawString(
                    String.format(Locale.ROOT, "%s us", tick >= 1 ? String.valueOf((long) tick) : String.valueOf(tick)),
                    x - 10,
                    bottom + 16);
        }
        for (int i = 0; i < streaming.size(); i++) {
            StageBench.Row r = streaming.get(i);
            int y = 40 + i * rowH;
            int len = (int) Math.round(barMax * Math.log(Math.max(r.totalUs(), lo) / lo) / Math.log(hi / lo));
            g.setColor(Color.BLACK);
            g.drawString(
                    r.method() + " @ " + r.config().fftSize() + "/" + r.config().hop(), 10, y + 14);
            g.setColor(r.config().fftSize() == 512 ? new Color(0x3B6FB6) : new Color(0xD98C2B));
            g.fillRect(left, y + 3, Math.max(1, len), rowH - 7);
            g.setColor(Color.BLACK);
            g.drawString(
                    String.format(Locale.ROOT, "%.1f us  RTF %.4f", r.totalUs(), r.realTimeFactor()),
                    left + len + 6,
                    y + 14);
        }
        g.dispose();
        write(img, file);
    }

    private static void write(BufferedImage img, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** A perceptually ordered dark-blue → yellow ramp (approximates the usual magma/viridis feel). */
    private static int colour(double v) {
        double r = Math.min(1, Math.max(0, 1.6 * v - 0.35));
        double gr = Math.min(1, Math.max(0, 1.3 * v * v + 0.1 * v));
        double b = Math.min(1, Math.max(0, 0.35 + 0.9 * v - 1.1 * v * v));
        return ((int) (r * 255) << 16) | ((int) (gr * 255) << 8) | (int) (b * 255);
    }
}
