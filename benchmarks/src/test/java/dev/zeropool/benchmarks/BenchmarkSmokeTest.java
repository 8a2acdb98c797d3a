package dev.zeropool.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark of the package once, very briefly and in this JVM, so that the suite cannot rot:
 * each benchmark and parameter set must produce a finite positive score, every benchmark class must be
 * part of {@link Report#SUITE}, and the report must render from the results.
 */
class BenchmarkSmokeTest {

  @Test
  @Timeout(80)
  void everyBenchmarkProducesAScoreAndTheReportRenders(@TempDir Path dir) throws Exception {
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(Pattern.quote(Report.class.getPackageName() + ".") + ".*")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(60))
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT)
        .build()).run();

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
    Set<String> suite = Report.SUITE.stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(classesRun, suite, "Report.SUITE must list every benchmark class");

    List<Path> written = ReportWriter.write(results, dir, "smoke", "smoke test");
    for (Path p : written) {
      assertTrue(Files.size(p) > 0, p + " is empty");
    }
    String markdown = Files.readString(written.get(0));
    assertTrue(markdown.contains("zeroPoolTaskBatch"), markdown);
  }

  /** Every {@code @Benchmark} method of the suite times every combination of its class's {@code @Param} values. */
  private static Set<String> expectedRuns() {
    Set<String> expected = new TreeSet<>();
    for (Class<?> c : Report.SUITE) {
      List<String> combinations = List.of("");
      Field[] fields = c.getFields();
      Arrays.sort(fields, Comparator.comparing(Field::getName)); // JMH orders parameters by name
      for (Field f : fields) {
        Param p = f.getAnnotation(Param.class);
        if (p != null) {
          combinations = combinations.stream()
              .flatMap(prefix -> Arrays.stream(p.value())
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
