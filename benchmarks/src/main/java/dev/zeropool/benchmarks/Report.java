package dev.zeropool.benchmarks;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the whole benchmark suite with JMH's GC profiler and writes
 * {@code results/<yyyy-MM-dd>-<hostname>.md} (a table per benchmark class) and a PNG chart beside it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.Report quick
 * java -cp benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.Report full
 * java -cp benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.Report quick --include Latency --out /tmp/r
 * java -cp benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.Report scaling
 * java -cp benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.Report medium scaling
 * </pre>
 *
 * <p>{@code scaling} runs the {@link #SCALING} set instead of the {@link #SUITE} (workers 1–16 × producers
 * 1–4, for batches, single submissions and coroutine launch, each with its peer at the same parallelism),
 * in quick mode unless {@code medium} or {@code full} is given too, and writes {@code <yyyy-MM-dd>-<hostname>-scaling.md}:
 * one command to run on a machine with more cores.
 *
 * <p>Each benchmark method is one JMH run, so the tool can say which one runs and how many are left.
 * Without {@code --out} it writes to {@code benchmarks/results} when started from the repository root,
 * else to {@code results}.
 */
public final class Report {

  /** Every benchmark class of the suite, in report order; the smoke test checks that none is missing. */
  public static final List<Class<?>> SUITE =
      List.of(BatchBenchmark.class, JobStreamBenchmark.class, LatencyBenchmark.class,
          ExecutorServiceBenchmark.class, MetricsOverheadBenchmark.class, CoroutineBenchmark.class,
          BatchDslBenchmark.class, ForkJoinLoopBenchmark.class, ForkJoinRecursionBenchmark.class,
          PinnedBenchmark.class);

  /**
   * The scaling set, run by {@code Report scaling} and not by {@code quick}/{@code full}: too many parameter
   * sets for the everyday suite, and meant for machines with more cores.
   */
  public static final List<Class<?>> SCALING = List.of(ScalingBenchmark.class, ScalingCoroutineBenchmark.class);

  /** Classes whose {@code workers} parameter defaults to 0 (one per processor): the report shows the real count. */
  private static final Set<Class<?>> SIZED_BY_MACHINE = Set.of(BatchBenchmark.class, LatencyBenchmark.class,
      ForkJoinLoopBenchmark.class, ForkJoinRecursionBenchmark.class, PinnedBenchmark.class);

  /** How long and how often each benchmark runs. */
  enum RunMode {
    /** About 2 minutes on 2 cores: enough to see the shape, not to publish. */
    QUICK(1, 3, TimeValue.milliseconds(100), 5, TimeValue.milliseconds(100)),
    /**
     * Half-second iterations in one fork: the scaling set's 105 parameter sets in about 10 minutes on 2
     * cores, where {@code full} would take 40.
     */
    MEDIUM(1, 3, TimeValue.milliseconds(500), 5, TimeValue.milliseconds(500)),
    /** About 27 minutes on 2 cores (26 benchmarks, 75 parameter sets): the numbers to publish. */
    FULL(2, 5, TimeValue.seconds(1), 5, TimeValue.seconds(1));

    final int forks;
    final int warmupIterations;
    final TimeValue warmupTime;
    final int measurementIterations;
    final TimeValue measurementTime;

    RunMode(int forks, int warmupIterations, TimeValue warmupTime, int measurementIterations,
        TimeValue measurementTime) {
      this.forks = forks;
      this.warmupIterations = warmupIterations;
      this.warmupTime = warmupTime;
      this.measurementIterations = measurementIterations;
      this.measurementTime = measurementTime;
    }

    String describe() {
      return name().toLowerCase(Locale.ROOT) + " mode: " + forks + " fork(s), " + warmupIterations + " × "
          + warmupTime + " warm-up, " + measurementIterations + " × " + measurementTime + " measurement";
    }
  }

  private Report() {}

  /**
   * Runs the suite and writes the report.
   *
   * @param args {@code quick}, {@code medium} or {@code full} (default {@code quick}), optionally {@code scaling} (run the
   *     scaling set instead of the suite), then optionally {@code --include REGEX} (run only benchmarks
   *     whose full name matches) and {@code --out DIR}
   */
  public static void main(String[] args) throws RunnerException, IOException {
    RunMode mode = RunMode.QUICK;
    List<Class<?>> set = SUITE;
    Pattern include = Pattern.compile("");
    Path out = Files.isDirectory(Paths.get("benchmarks")) ? Paths.get("benchmarks", "results") : Paths.get("results");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "quick": mode = RunMode.QUICK; break;
        case "medium": mode = RunMode.MEDIUM; break;
        case "full": mode = RunMode.FULL; break;
        case "scaling": set = SCALING; break;
        case "--include": include = Pattern.compile(argumentAfter(args, i++)); break;
        case "--out": out = Paths.get(argumentAfter(args, i++)); break;
        default: throw new IllegalArgumentException(
            "unknown argument '" + args[i] + "'; usage: Report [quick|medium|full] [scaling] [--include REGEX] [--out DIR]");
      }
    }
    System.setProperty("java.awt.headless", "true");

    List<String> benchmarks = benchmarkNames(set, include);
    if (benchmarks.isEmpty()) {
      throw new IllegalArgumentException("no benchmark matches --include " + include);
    }
    String workers = String.valueOf(Runtime.getRuntime().availableProcessors());
    System.out.printf("ZeroPool benchmark report%s, %s; %d benchmarks%n", set == SCALING ? " (scaling set)" : "",
        mode.describe(), benchmarks.size());

    List<RunResult> results = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < benchmarks.size(); i++) {
      String name = benchmarks.get(i);
      System.out.printf("[%d/%d] %s (%d left)%s%n", i + 1, benchmarks.size(), shortName(name),
          benchmarks.size() - i - 1, i == 0 ? "" : ", about " + eta(start, i, benchmarks.size()) + " to go");
      ChainedOptionsBuilder options = new OptionsBuilder()
          .include("^" + Pattern.quote(name) + "$")
          .forks(mode.forks)
          .warmupIterations(mode.warmupIterations)
          .warmupTime(mode.warmupTime)
          .measurementIterations(mode.measurementIterations)
          .measurementTime(mode.measurementTime)
          .addProfiler(GCProfiler.class)
          .shouldFailOnError(true)
          .verbosity(VerboseMode.SILENT);
      if (SIZED_BY_MACHINE.stream().anyMatch(c -> name.startsWith(c.getName() + "."))) {
        options.param("workers", workers);
      }
      for (RunResult r : new Runner(options.build()).run()) {
        System.out.printf("      %-28s %14.1f ± %.1f %s%n", ReportWriter.paramLabel(r.getParams()),
            r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
            r.getPrimaryResult().getScoreUnit());
        results.add(r);
      }
    }

    String baseName = LocalDate.now() + "-" + hostName() + (set == SCALING ? "-scaling" : "");
    String settings = mode.describe() + "; " + Runtime.getRuntime().availableProcessors() + " cores, "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    List<Path> written = ReportWriter.write(results, out, baseName, settings);
    System.out.printf("Done in %s; wrote %s%n", minutesSeconds(System.nanoTime() - start), written);
  }

  /** {@return the full names of the benchmark methods of {@code set} that match {@code include}, in set order} */
  static List<String> benchmarkNames(List<Class<?>> set, Pattern include) {
    List<String> names = new ArrayList<>();
    for (Class<?> c : set) {
      Arrays.stream(c.getMethods())
          .filter(m -> m.isAnnotationPresent(Benchmark.class))
          .map(Method::getName)
          .sorted(Comparator.naturalOrder())
          .map(m -> c.getName() + "." + m)
          .filter(n -> include.matcher(n).find())
          .forEach(names::add);
    }
    return names;
  }

  private static String argumentAfter(String[] args, int i) {
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(args[i] + " needs a value");
    }
    return args[i + 1];
  }

  private static String shortName(String fullName) {
    return fullName.substring(Report.class.getPackageName().length() + 1);
  }

  private static String eta(long startNanos, int done, int total) {
    long perBenchmark = (System.nanoTime() - startNanos) / done;
    return minutesSeconds(perBenchmark * (total - done));
  }

  private static String minutesSeconds(long nanos) {
    long seconds = Math.round(nanos / 1e9);
    return seconds / 60 + " min " + seconds % 60 + " s";
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
