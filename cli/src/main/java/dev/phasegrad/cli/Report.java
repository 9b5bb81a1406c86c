package dev.phasegrad.cli;

import dev.phasegrad.eval.MethodResult;
import dev.phasegrad.metrics.QualityScores;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats evaluation results as a text table and as JSON. */
final class Report {
    private Report() {
    }

    /** Averages per method over sources, keeping method order of first appearance. */
    static List<MethodResult> meanByMethod(List<MethodResult> results) {
        Map<String, List<MethodResult>> by = new LinkedHashMap<>();
        for (MethodResult r : results) {
            by.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        }
        List<MethodResult> out = new ArrayList<>();
        for (Map.Entry<String, List<MethodResult>> e : by.entrySet()) {
            List<MethodResult> rs = e.getValue();
            double stoi = 0, estoi = 0, sc = 0, snr = 0, lsd = 0, us = 0;
            for (MethodResult r : rs) {
                QualityScores q = r.scores();
                stoi += q.stoi();
                estoi += q.estoi();
                sc += q.scDb();
                snr += q.snrDb();
                lsd += q.lsdDb();
                us += r.microsPerFrame();
            }
            int n = rs.size();
            MethodResult f = rs.get(0);
            out.add(new MethodResult(e.getKey(), "mean of " + n, new QualityScores(stoi / n, estoi / n, sc / n,
                    snr / n, lsd / n), us / n, f.lookaheadFrames(), f.latencyMs(), null));
        }
        return out;
    }

    static void printTable(PrintStream out, String title, StftConfig config, List<MethodResult> rows) {
        out.println();
        out.println(title + "  [" + config + "]");
        String header = String.format(Locale.ROOT, "%-18s %6s %8s %7s %7s %8s %8s %8s %10s",
                "method", "look", "latency", "STOI", "ESTOI", "SC dB", "SNR dB", "LSD dB", "us/frame");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (MethodResult r : rows) {
            QualityScores q = r.scores();
            String look = r.offline() ? "all" : Integer.toString(r.lookaheadFrames());
            String lat = r.offline() ? "offline" : String.format(Locale.ROOT, "%.0f ms", r.latencyMs());
            out.println(String.format(Locale.ROOT, "%-18s %6s %8s %7.4f %7.4f %8.2f %8.2f %8.2f %10.1f",
                    r.method(), look, lat, q.stoi(), q.estoi(), q.scDb(), q.snrDb(), q.lsdDb(), r.microsPerFrame()));
        }
    }

    static void writeJson(Path path, StftConfig config, List<MethodResult> results, List<MethodResult> means)
            throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"stft\": {\"fft\": ").append(config.fftSize()).append(", \"window\": ")
                .append(config.windowLength()).append(", \"hop\": ").append(config.hop())
                .append(", \"sample_rate\": ").append(config.sampleRate()).append(", \"window_type\": \"hann-periodic\"},\n");
        b.append("  \"results\": [\n");
        appendRows(b, results);
        b.append("  ],\n  \"means\": [\n");
        appendRows(b, means);
        b.append("  ]\n}\n");
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, ".report", ".json.tmp");
        try {
            Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void appendRows(StringBuilder b, List<MethodResult> rows) {
        for (int i = 0; i < rows.size(); i++) {
            MethodResult r = rows.get(i);
            QualityScores q = r.scores();
            b.append("    {\"method\": \"").append(r.method()).append("\", \"source\": \"")
                    .append(escape(r.source())).append("\", \"lookahead_frames\": ")
                    .append(r.offline() ? "null" : Integer.toString(r.lookaheadFrames()))
                    .append(", \"latency_ms\": ").append(num(r.latencyMs()))
                    .append(", \"stoi\": ").append(num(q.stoi()))
                    .append(", \"estoi\": ").append(num(q.estoi()))
                    .append(", \"sc_db\": ").append(num(q.scDb()))
                    .append(", \"snr_db\": ").append(num(q.snrDb()))
                    .append(", \"lsd_db\": ").append(num(q.lsdDb()))
                    .append(", \"us_per_frame\": ").append(num(r.microsPerFrame()))
                    .append(i + 1 < rows.size() ? "},\n" : "}\n");
        }
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
