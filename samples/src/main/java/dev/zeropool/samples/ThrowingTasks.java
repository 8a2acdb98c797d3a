package dev.zeropool.samples;

import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Tasks that call code throwing checked exceptions: {@code TaskFn.unchecked} turns a throwing body into a
 * handle once, and a failure reaches the future as the original exception (here an {@code IOException}).
 */
public final class ThrowingTasks {

  /** A file to read: the path in, its line count out. */
  static final class LineCount {
    final Path path;
    int lines;

    LineCount(Path path) {
      this.path = path;
    }
  }

  /** Files.readAllLines throws IOException: no try/catch per task, the handle is made once. */
  static final TaskFn<LineCount> COUNT_LINES =
      TaskFn.unchecked(p -> p.lines = Files.readAllLines(p.path).size());

  private ThrowingTasks() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) {
    Path dir;
    try {
      dir = Files.createTempDirectory("zeropool-sample");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      List<LineCount> files = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        Path file = dir.resolve("file-" + i + ".txt");
        Files.writeString(file, "line\n".repeat(i * 10), StandardCharsets.UTF_8);
        files.add(new LineCount(file));
      }
      pool.submitBatch(COUNT_LINES, files).join();

      String failure;
      try {
        pool.submitTask(COUNT_LINES, new LineCount(dir.resolve("missing.txt"))).join();
        failure = "none";
      } catch (CompletionException e) {
        failure = e.getCause().getClass().getSimpleName(); // the task's own NoSuchFileException (an IOException)
      }
      System.out.println("throwing tasks: lines = " + files.stream().map(f -> f.lines).toList()
          + ", missing file fails with " + failure);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  public static void main(String[] args) {
    try (ZeroPool pool = ZeroPool.create()) {
      run(pool);
    }
  }
}
