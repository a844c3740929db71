package io.outpost.bench.hub;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures: a table on stdout with Mosquitto's figure, Outpost's and the ratio Outpost / Mosquitto, the
 * verification of every scenario, and RESULT lines for bench/run-all.sh. A figure of a failed scenario is shown but
 * never written as a result.
 */
final class Report {

    /** One row: a figure of both targets; the note is shown in the table only. */
    record Row(String metric, String label, String chart, String unit, String better, double baseline, double value,
            int decimals, boolean valid, boolean result, String note) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private final String baselineName;

    Report(String baselineName) {
        this.baselineName = baselineName;
    }

    void add(Outcome mosquitto, Outcome outpost) {
        outcomes.add(mosquitto);
        outcomes.add(outpost);
    }

    /** A figure written as a RESULT line too, unless {@code valid} is false (its scenario failed). */
    void row(String metric, String label, String chart, String unit, String better, double baseline, double value,
            int decimals, boolean valid, String note) {
        rows.add(new Row(metric, label, chart, unit, better, baseline, value, decimals, valid, true, note));
    }

    /** A figure for the table only (no meaningful ratio to chart). */
    void info(String label, String unit, double baseline, double value, int decimals, boolean valid) {
        rows.add(new Row("", label, "", unit, "", baseline, value, decimals, valid, false, ""));
    }

    void print(PrintStream out, String title) {
        out.println();
        out.println(title);
        out.println();
        int w = Math.max(50, rows.stream().mapToInt(r -> label(r).length()).max().orElse(0));
        int b = Math.max(12, baselineName.length());
        String format = "| %-" + w + "s | %" + b + "s | %12s | %10s |%n";
        out.printf(Locale.ROOT, format, "figure", baselineName, "Outpost", "ratio");
        out.printf("|%s|%s|%s|%s|%n", "-".repeat(w + 2), "-".repeat(b + 2), "-".repeat(14), "-".repeat(12));
        for (Row r : rows) {
            double x = r.value() / r.baseline();
            String ratio = r.baseline() <= 0 || r.value() < 0 ? "n/a"
                    : String.format(Locale.ROOT, x >= 100 ? "%,.0fx" : "%.2fx", x);
            out.printf(Locale.ROOT, format, label(r), number(r.baseline(), r.decimals()),
                    (r.valid() ? "" : "(failed) ") + number(r.value(), r.decimals()), ratio);
        }
        out.println();
        out.println("Verification (every published sequence number must arrive; duplicates are allowed and listed):");
        for (Outcome o : outcomes) {
            out.println("  " + verification(o));
        }
    }

    void writeResults(Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Row r : rows) {
            if (!r.valid() || !r.result()) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "RESULT bench=\"hub\" metric=\"%s\" label=\"%s\" chart=\"%s\" "
                    + "unit=\"%s\" better=\"%s\" baseline_label=\"%s\" baseline=\"%s\" value=\"%s\"%n", r.metric(),
                    resultLabel(r), r.chart(), r.unit(), r.better(), baselineName, plain(r.baseline(), r.decimals()),
                    plain(r.value(), r.decimals())));
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    static String verification(Outcome o) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-22s %-16s ", o.scenario(), o.target()));
        s.append(o.failed() ? "FAILED: " : "ok: ");
        s.append(String.format(Locale.ROOT, "published %d of %d, acknowledged %d, received %d", o.published(),
                o.requested(), o.acked(), o.received()));
        if (o.capped()) {
            s.append(" (time limit: sending stopped before the end)");
        }
        if (o.missing() > 0) {
            s.append(String.format(Locale.ROOT, "; LOST %d: seq %s%s", o.missing(), o.missingSeqs(),
                    o.missing() > o.missingSeqs().size() ? " ..." : ""));
        }
        s.append(String.format(Locale.ROOT, "; duplicates %d", o.duplicates()));
        if (o.duplicates() > 0) {
            s.append(String.format(Locale.ROOT, " (seq %s%s)", o.duplicateSeqs(),
                    o.duplicates() > o.duplicateSeqs().size() ? " ..." : ""));
        }
        if (o.strays() > 0) {
            s.append(String.format(Locale.ROOT, "; %d messages of earlier scenarios", o.strays()));
        }
        if (o.error() != null) {
            s.append("; error: ").append(o.error());
        }
        return s.toString();
    }

    /** The label in the report of all benchmarks: this benchmark's name instead of the scenario letter. */
    private static String resultLabel(Row r) {
        return "hub " + r.label().replaceFirst("^\\([a-z]\\) ", "");
    }

    private static String label(Row r) {
        return r.label() + " (" + r.unit() + ")" + (r.note().isEmpty() ? "" : " " + r.note());
    }

    private static String number(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static String plain(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
