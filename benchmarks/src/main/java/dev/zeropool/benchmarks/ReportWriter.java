package dev.zeropool.benchmarks;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * Turns JMH results into the report: a Markdown file with one table per benchmark class (score, error,
 * ratio against the best peer of the same workload, allocation per operation) and a PNG chart of the
 * ratios.
 *
 * <p>By default a row's <em>pool</em> is its benchmark method and its <em>workload</em> its parameters
 * (plus the kernel, for methods named {@code <kernel><Pool>...} such as {@code sumForkJoinParallelStream});
 * methods whose pool part is {@code forkJoin...} or {@code threadPool...} are the peers. A class annotated with
 * {@link PoolParameter} selects its pool with a parameter instead: the row's pool is that parameter's
 * value, its workload the method plus the other parameters, and the annotation's values are the peers.
 * Every row of a workload is divided by the fastest peer of that workload, so 0.5 means twice as fast as
 * the best peer and 1.0 is the best peer itself.
 */
public final class ReportWriter {

  private static final String ALLOC_NORM = "gc.alloc.rate.norm";

  private ReportWriter() {}

  /** One benchmark method with one parameter set. */
  /**
   * A method named {@code <kernel><Pool>...} (e.g. {@code sumForkJoinParallelStream}) measures one
   * kernel of several in its class: its kernel joins the workload, so it is compared only with the
   * same kernel's peers. Methods that start with the pool ({@code zeroPoolBatch}) have no kernel.
   */
  private static final Pattern KERNEL_AND_POOL =
      Pattern.compile("([a-z][a-zA-Z]*?)(ZeroPool|ForkJoin|ThreadPool|Sequential)[A-Za-z0-9]*");

  private record Row(String className, String pool, String workload, boolean isPeer, double score,
      double error, String unit, double allocPerOp, Statistics samples) {}

  /**
   * Writes {@code <baseName>.md} and {@code <baseName>.png} into {@code dir}, creating it if needed.
   *
   * @param settings a line describing the run (mode, machine, JVM)
   * @return the files written
   */
  public static List<Path> write(Collection<RunResult> results, Path dir, String baseName, String settings)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, List<Row>> byClass = new LinkedHashMap<>();
    for (RunResult r : results) {
      Row row = toRow(r);
      byClass.computeIfAbsent(row.className, k -> new ArrayList<>()).add(row);
    }
    Path markdown = dir.resolve(baseName + ".md");
    Path chart = dir.resolve(baseName + ".png");
    Files.writeString(markdown, markdown(byClass, settings, chart.getFileName().toString()));
    writeChart(byClass, chart);
    return List.of(markdown, chart);
  }

  /** {@return the parameters of a result as {@code name=value, ...}, or an empty string when it has none} */
  static String paramLabel(BenchmarkParams params) {
    return params.getParamsKeys().stream()
        .map(k -> k + "=" + params.getParam(k))
        .collect(Collectors.joining(", "));
  }

  private static Row toRow(RunResult r) {
    BenchmarkParams params = r.getParams();
    String benchmark = params.getBenchmark();
    int dot = benchmark.lastIndexOf('.');
    String className = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
    String method = benchmark.substring(dot + 1);
    PoolParameter poolParameter = poolParameter(benchmark.substring(0, dot));
    String pool;
    String workload;
    boolean isPeer;
    if (poolParameter != null && params.getParam(poolParameter.name()) != null) {
      pool = params.getParam(poolParameter.name());
      String others = params.getParamsKeys().stream()
          .filter(k -> !k.equals(poolParameter.name()))
          .map(k -> k + "=" + params.getParam(k))
          .collect(Collectors.joining(", "));
      workload = others.isEmpty() ? method : method + ", " + others;
      isPeer = Arrays.asList(poolParameter.peers()).contains(pool);
    } else {
      Matcher named = KERNEL_AND_POOL.matcher(method);
      String kernel = named.matches() ? named.group(1) : "";
      pool = method;
      workload = kernel.isEmpty() ? paramLabel(params) : kernel + ", " + paramLabel(params);
      String poolPart = method.substring(kernel.length()).toLowerCase(Locale.ROOT);
      isPeer = poolPart.startsWith("forkjoin") || poolPart.startsWith("threadpool");
    }
    Result<?> primary = r.getPrimaryResult();
    double alloc = Double.NaN;
    for (String key : r.getSecondaryResults().keySet()) {
      if (key.endsWith(ALLOC_NORM)) {
        Result<?> norm = r.getSecondaryResults().get(key);
        alloc = norm.getScore();
      }
    }
    Statistics samples = params.getMode() == Mode.SampleTime ? primary.getStatistics() : null;
    return new Row(className, pool, workload, isPeer, primary.getScore(), primary.getScoreError(),
        primary.getScoreUnit(), alloc, samples);
  }

  /** {@return the class's {@link PoolParameter}, or null when it has none or is not on this class path} */
  private static PoolParameter poolParameter(String className) {
    try {
      return Class.forName(className, false, ReportWriter.class.getClassLoader()).getAnnotation(PoolParameter.class);
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  /** {@return score divided by the best peer score of the same workload, NaN without peers} */
  private static double ratio(Row row, List<Row> rows) {
    double best = rows.stream()
        .filter(r -> r.isPeer && r.workload.equals(row.workload))
        .mapToDouble(Row::score).min().orElse(Double.NaN);
    return row.score / best;
  }

  private static String markdown(Map<String, List<Row>> byClass, String settings, String chartFile) {
    StringBuilder md = new StringBuilder();
    md.append("# ZeroPool benchmark report\n\n")
        .append(settings).append(".\n\n")
        .append("Lower is better. *vs best peer* divides the score by the fastest peer of the same workload ")
        .append("(below 1.00 = faster than the best peer): the ForkJoinPool and ThreadPoolExecutor methods, or, ")
        .append("where the pool is a parameter, its peer values (`Dispatchers.Default`, fixed-pool and ForkJoinPool ")
        .append("dispatchers for coroutines, no metrics hook, the Java batch builder). ")
        .append("*alloc* is JMH's `gc.alloc.rate.norm`, bytes allocated per operation by all threads.\n\n")
        .append("![ratio chart](").append(chartFile).append(")\n");
    for (Map.Entry<String, List<Row>> e : byClass.entrySet()) {
      md.append("\n## ").append(e.getKey()).append("\n\n").append(classTable(e.getValue()));
      List<Row> sampled = e.getValue().stream().filter(r -> r.samples != null).collect(Collectors.toList());
      if (!sampled.isEmpty()) {
        md.append("\n").append(percentileTable(sampled));
      }
    }
    return md.toString();
  }

  /** {@return the Markdown table of one benchmark class; also pasted into the class's header comment} */
  static String classTable(List<Row> rows) {
    StringBuilder md = new StringBuilder(
        "| workload | pool | score (ns/op) | ± error | vs best peer | alloc (B/op) |\n"
            + "|---|---|---:|---:|---:|---:|\n");
    for (Row r : sorted(rows)) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", r.workload, r.pool,
          number(r.score), number(r.error), ratioText(ratio(r, rows)), number(r.allocPerOp)));
    }
    return md.toString();
  }

  private static String percentileTable(List<Row> rows) {
    StringBuilder md = new StringBuilder("| workload | pool | p50 (ns) | p90 (ns) | p99 (ns) | p99.9 (ns) | max (ns) | samples |\n"
        + "|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : sorted(rows)) {
      Statistics s = r.samples;
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %d |%n", r.workload, r.pool,
          number(s.getPercentile(50)), number(s.getPercentile(90)), number(s.getPercentile(99)),
          number(s.getPercentile(99.9)), number(s.getMax()), s.getN()));
    }
    return md.toString();
  }

  private static List<Row> sorted(List<Row> rows) {
    List<String> workloads = rows.stream().map(Row::workload).distinct().collect(Collectors.toList());
    List<Row> copy = new ArrayList<>(rows);
    copy.sort((a, b) -> a.workload.equals(b.workload) ? Double.compare(a.score, b.score)
        : Integer.compare(workloads.indexOf(a.workload), workloads.indexOf(b.workload)));
    return copy;
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "–";
    }
    return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String ratioText(double ratio) {
    return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f", ratio);
  }

  /** {@return greens for ZeroPool, blues for ForkJoinPool peers, oranges for the other peers, darker first} */
  private static Color colour(String pool, Set<String> pools, Set<String> peers) {
    int family = family(pool, peers);
    int shade = (int) pools.stream().filter(p -> family(p, peers) == family).takeWhile(p -> !p.equals(pool)).count();
    int[] palette = family == 0 ? new int[] {0x1b7837, 0x5aae61, 0xa6dba0}
        : family == 1 ? new int[] {0x2166ac, 0x67a9cf, 0xd1e5f0} : new int[] {0xe08214, 0xfdb863, 0xfee0b6};
    return new Color(palette[Math.min(shade, palette.length - 1)]);
  }

  /** {@return 0 for ZeroPool, 1 for a ForkJoinPool peer, 2 for any other peer} */
  private static int family(String pool, Set<String> peers) {
    return !peers.contains(pool) ? 0 : pool.toLowerCase(Locale.ROOT).startsWith("forkjoin") ? 1 : 2;
  }

  /** One bar chart per benchmark class, stacked in one PNG: bars are the ratio to the best peer. */
  private static void writeChart(Map<String, List<Row>> byClass, Path file) throws IOException {
    List<Chart<?, ?>> charts = new ArrayList<>();
    for (Map.Entry<String, List<Row>> e : byClass.entrySet()) {
      List<Row> rows = e.getValue();
      CategoryChart chart = new CategoryChartBuilder().width(1100).height(420)
          .title(e.getKey() + ": time relative to the best peer (lower is better)")
          .yAxisTitle("× best peer").build();
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
      List<String> workloads = new ArrayList<>(rows.stream().map(Row::workload)
          .map(w -> w.isEmpty() ? "default" : w).collect(Collectors.toCollection(LinkedHashSet::new)));
      // Many long labels (the scaling set's parameter grid) overlap unless they stand steeper.
      chart.getStyler().setXAxisLabelRotation(workloads.size() > 8 ? 45 : 10);
      Set<String> pools = rows.stream().map(Row::pool).collect(Collectors.toCollection(LinkedHashSet::new));
      Set<String> peers = rows.stream().filter(Row::isPeer).map(Row::pool).collect(Collectors.toSet());
      for (String pool : pools) {
        List<Double> values = new ArrayList<>();
        for (String w : workloads) {
          values.add(rows.stream()
              .filter(r -> r.pool.equals(pool) && (r.workload.isEmpty() ? "default" : r.workload).equals(w))
              .mapToDouble(r -> ratio(r, rows)).filter(v -> !Double.isNaN(v))
              .findFirst().orElse(0));
        }
        chart.addSeries(pool, workloads, values).setFillColor(colour(pool, pools, peers));
      }
      charts.add(chart);
    }
    try (OutputStream png = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(charts, charts.size(), 1, png, BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
