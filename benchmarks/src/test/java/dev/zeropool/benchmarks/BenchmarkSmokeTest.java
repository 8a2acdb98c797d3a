package dev.zeropool.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark of the package once, very briefly and in this JVM, so that the suite cannot rot:
 * each benchmark must produce a finite positive score at its smallest sizes (a numeric {@code @Param} runs
 * only its smallest value; the others, which select pools and workloads, run every value), every benchmark
 * class must be part of {@link Report#SUITE} or {@link Report#SCALING}, and the report must render from the
 * results with a ratio to a peer on every row.
 */
class BenchmarkSmokeTest {

  @Test
  @Timeout(80)
  void everyBenchmarkProducesAScoreAndTheReportRenders(@TempDir Path dir) throws Exception {
    List<RunResult> results = new ArrayList<>();
    for (Class<?> c : allClasses()) {
      ChainedOptionsBuilder options = new OptionsBuilder()
          .include("^" + Pattern.quote(c.getName() + ".") + "\\w+$")
          .forks(0)
          .warmupIterations(0)
          .measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(60))
          .shouldFailOnError(true)
          .verbosity(VerboseMode.SILENT);
      for (Field f : c.getFields()) {
        Param p = f.getAnnotation(Param.class);
        if (p != null && isNumeric(p)) {
          options.param(f.getName(), smallest(p));
        }
      }
      results.addAll(new Runner(options.build()).run());
    }

    Set<String> ran = results.stream()
        .map(r -> r.getParams().getBenchmark() + " " + ReportWriter.paramLabel(r.getParams()))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expectedRuns(), ran, "benchmark × parameter sets that produced a result");
    for (RunResult r : results) {
      double score = r.getPrimaryResult().getScore();
      assertTrue(Double.isFinite(score) && score > 0, r.getParams().getBenchmark() + " scored " + score);
    }

    Set<String> classesRun = results.stream()
        .map(r -> r.getParams().getBenchmark())
        .map(b -> b.substring(0, b.lastIndexOf('.')))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> listed = allClasses().stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(listed, classesRun, "every class of Report.SUITE and Report.SCALING must run");
    Set<String> compiled = new TreeSet<>();
    OutputFormat silent = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
    for (BenchmarkListEntry entry : BenchmarkList.defaultList().getAll(silent, List.of())) {
      compiled.add(entry.getUserClassQName());
    }
    assertEquals(compiled, listed, "Report.SUITE and Report.SCALING must list every benchmark class");

    List<Path> written = ReportWriter.write(results, dir, "smoke", "smoke test");
    for (Path p : written) {
      assertTrue(Files.size(p) > 0, p + " is empty");
    }
    String markdown = Files.readString(written.get(0));
    assertTrue(markdown.contains("zeroPoolTaskBatch"), markdown);
    for (String line : markdown.split("\n")) {
      String[] cells = line.split("\\|", -1);
      // A result row: | workload | pool | score | error | vs best peer | alloc |
      if (cells.length == 8 && !line.startsWith("| workload") && !line.startsWith("|---")) {
        assertNotEquals("–", cells[5].strip(), "no ratio to a peer in: " + line);
      }
    }
  }

  private static List<Class<?>> allClasses() {
    List<Class<?>> all = new ArrayList<>(Report.SUITE);
    all.addAll(Report.SCALING);
    return all;
  }

  private static boolean isNumeric(Param p) {
    return Arrays.stream(p.value()).allMatch(v -> v.matches("-?\\d+"));
  }

  private static String smallest(Param p) {
    return Arrays.stream(p.value()).min(Comparator.comparingInt(Integer::parseInt)).orElseThrow();
  }

  /** Every benchmark method times every combination of its class's parameters, numeric ones at their smallest. */
  private static Set<String> expectedRuns() {
    Set<String> expected = new TreeSet<>();
    for (Class<?> c : allClasses()) {
      List<String> combinations = List.of("");
      Field[] fields = c.getFields();
      Arrays.sort(fields, Comparator.comparing(Field::getName)); // JMH orders parameters by name
      for (Field f : fields) {
        Param p = f.getAnnotation(Param.class);
        if (p != null) {
          combinations = combinations.stream()
              .flatMap(prefix -> Arrays.stream(isNumeric(p) ? new String[] {smallest(p)} : p.value())
                  .map(v -> (prefix.isEmpty() ? "" : prefix + ", ") + f.getName() + "=" + v))
              .collect(Collectors.toList());
        }
      }
      for (Method m : c.getMethods()) {
        if (m.isAnnotationPresent(Benchmark.class)) {
          combinations.forEach(params -> expected.add(c.getName() + "." + m.getName() + " " + params));
        }
      }
    }
    return expected;
  }
}
