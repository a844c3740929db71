package io.outpost.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Writes {@code REPORT.md} and one PNG chart per chart group from the benchmarks' RESULT lines.
 *
 * <pre>
 *   BenchReport &lt;results file&gt; &lt;machine.properties&gt; &lt;bench dir&gt; &lt;status file&gt;
 * </pre>
 *
 * <p>A RESULT line is {@code RESULT key="value" ...} with the keys bench, metric, label, chart (the chart it is
 * drawn in: throughput, latency, startup, memory, deploy, or any new name), unit, better (lower or higher),
 * baseline_label, baseline, value; the ratio is computed here (Outpost / baseline). The status file has one line
 * per benchmark: {@code name<TAB>exit code<TAB>seconds<TAB>arguments}.
 */
public final class BenchReport {

    private static final Pattern PAIR = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final List<String> KNOWN_CHARTS = List.of("throughput", "latency", "startup", "memory", "deploy");

    record Result(String bench, String metric, String label, String chart, String unit, String better,
            String baselineLabel, double baseline, double value) {

        double ratio() {
            return value / baseline;
        }
    }

    record Status(String name, int exitCode, long seconds, String arguments) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: BenchReport <results file> <machine.properties> <bench dir> <status file>");
            System.exit(2);
        }
        List<Result> results = parse(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8));
        Properties machine = new Properties();
        try (var in = Files.newBufferedReader(Path.of(args[1]), StandardCharsets.UTF_8)) {
            machine.load(in);
        }
        List<Status> statuses = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[3]), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", 4);
            if (f.length == 4) {
                statuses.add(new Status(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3]));
            }
        }
        Path bench = Path.of(args[2]);
        Path charts = bench.resolve("report");
        Files.createDirectories(charts);
        try (var old = Files.list(charts)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                Files.delete(p);
            }
        }
        Map<String, List<Result>> byChart = new LinkedHashMap<>();
        for (String c : KNOWN_CHARTS) {
            byChart.put(c, new ArrayList<>());
        }
        for (Result r : results) {
            byChart.computeIfAbsent(r.chart(), k -> new ArrayList<>()).add(r);
        }
        byChart.values().removeIf(List::isEmpty);
        String machineLine = machineLine(machine);
        for (Map.Entry<String, List<Result>> e : byChart.entrySet()) {
            chart(e.getKey(), e.getValue(), machineLine, charts.resolve(e.getKey() + ".png"));
        }
        Files.writeString(bench.resolve("REPORT.md"), markdown(results, byChart.keySet(), machine, statuses),
                StandardCharsets.UTF_8);
        System.out.println("wrote " + bench.resolve("REPORT.md") + " and " + byChart.size() + " charts in " + charts);
    }

    static List<Result> parse(List<String> lines) {
        List<Result> results = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("RESULT ")) {
                continue;
            }
            Map<String, String> f = new LinkedHashMap<>();
            Matcher m = PAIR.matcher(line);
            while (m.find()) {
                f.put(m.group(1), m.group(2));
            }
            for (String key : List.of("bench", "metric", "label", "chart", "unit", "baseline_label", "baseline",
                    "value")) {
                if (!f.containsKey(key)) {
                    throw new IllegalArgumentException("RESULT line without " + key + ": " + line);
                }
            }
            results.add(new Result(f.get("bench"), f.get("metric"), f.get("label"), f.get("chart"), f.get("unit"),
                    f.getOrDefault("better", "lower"), f.get("baseline_label"), number(f, "baseline", line),
                    number(f, "value", line)));
        }
        return results;
    }

    private static double number(Map<String, String> f, String key, String line) {
        try {
            return Double.parseDouble(f.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a number in " + line, e);
        }
    }

    static String machineLine(Properties m) {
        return String.format("%s, %s cores, %s RAM, %s, Java %s, %s", m.getProperty("cpu", "?"),
                m.getProperty("cores", "?"), m.getProperty("ram", "?"), m.getProperty("os", "?"),
                m.getProperty("java", "?"), m.getProperty("date", "?"));
    }

    private static String title(String chart) {
        return switch (chart) {
            case "throughput" -> "Throughput (higher is better)";
            case "latency" -> "Latency (lower is better)";
            case "startup" -> "Start-up time (lower is better)";
            case "memory" -> "Memory (lower is better)";
            case "deploy" -> "Deployment time (lower is better)";
            default -> chart.substring(0, 1).toUpperCase(Locale.ROOT) + chart.substring(1);
        };
    }

    private static void chart(String name, List<Result> results, String machine, Path png) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Result r : results) {
            String category = r.label() + (r.unit().isEmpty() ? "" : " (" + r.unit() + ")");
            data.addValue(r.baseline(), "baseline", category);
            data.addValue(r.value(), "Outpost", category);
        }
        String unit = results.stream().map(Result::unit).distinct().count() == 1 ? results.get(0).unit() : "";
        JFreeChart chart = ChartFactory.createBarChart(title(name), null, unit, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.addSubtitle(new TextTitle(machine, new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xCCCCCC));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        CategoryAxis axis = plot.getDomainAxis();
        axis.setMaximumCategoryLabelLines(3);
        if (results.size() > 4) {
            axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(0x9E9E9E));
        bars.setSeriesPaint(1, new Color(0x1565C0));
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                new java.text.DecimalFormat("#,##0.##")));
        bars.setDefaultItemLabelsVisible(true);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, Math.max(640, 180 * results.size() + 280), 420);
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%,.2f", v);
    }

    static String markdown(List<Result> results, Iterable<String> charts, Properties m, List<Status> statuses) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark report\n\n");
        md.append("Written by `bench/run-all.sh").append(m.getProperty("mode", "").isEmpty() ? "" : " " + m.getProperty("mode"))
                .append("` on ").append(m.getProperty("date", "?")).append(". Every figure stands next to its baseline, ")
                .append("measured in the same run on the same machine; the ratio is Outpost / baseline.\n\n");
        if ("--quick".equals(m.getProperty("mode"))) {
            md.append("**Quick run** (smaller sizes, one run each): a smoke test of the benchmarks, not figures to ")
                    .append("compare.\n\n");
        }
        md.append("## Machine\n\n| | |\n|---|---|\n");
        for (String[] row : new String[][] {{"CPU", "cpu"}, {"cores", "cores"}, {"RAM", "ram"}, {"OS", "os"},
                {"kernel", "kernel"}, {"JDK", "java"}, {"Docker", "docker"}, {"Outpost", "outpost"},
                {"commit", "commit"}, {"date", "date"}}) {
            md.append("| ").append(row[0]).append(" | ").append(m.getProperty(row[1], "?")).append(" |\n");
        }
        md.append("\n## Figures\n\n");
        md.append("| benchmark | figure | baseline | baseline value | Outpost | ratio | better |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            String unit = r.unit().isEmpty() ? "" : " " + r.unit();
            md.append("| ").append(r.bench()).append(" | ").append(r.label()).append(" | ").append(r.baselineLabel())
                    .append(" | ").append(format(r.baseline())).append(unit).append(" | ").append(format(r.value()))
                    .append(unit).append(" | ").append(String.format(Locale.ROOT, "%.2fx", r.ratio())).append(" | ")
                    .append(r.better()).append(" |\n");
        }
        md.append("\n## Charts\n\n");
        for (String c : charts) {
            md.append("![").append(title(c)).append("](report/").append(c).append(".png)\n\n");
        }
        md.append("## Runs\n\n| benchmark | arguments | result | time |\n|---|---|---|---|\n");
        for (Status s : statuses) {
            md.append("| ").append(s.name()).append(" | `").append(s.arguments().isBlank() ? "(defaults)" : s.arguments())
                    .append("` | ").append(s.exitCode() == 0 ? "ok" : "failed (exit " + s.exitCode() + ")").append(" | ")
                    .append(s.seconds()).append(" s |\n");
        }
        md.append("\nEach benchmark's own output, with what it measures and how, is in its script's header "
                + "(`bench/*.sh`); see also docs/development.md.\n");
        return md.toString();
    }

    private BenchReport() {
    }
}
