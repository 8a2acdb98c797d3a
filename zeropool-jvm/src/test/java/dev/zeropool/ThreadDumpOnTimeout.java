package dev.zeropool;

import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Prints the full stack of every thread when a test fails by timing out, so that a hang in CI
 * shows where each worker, waiter and producer was stuck (JUnit's own timeout shows the test thread
 * only). Registered for every test of this module through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit.jupiter.extensions.autodetection.enabled}. The timeout itself comes from
 * {@code @Timeout} or {@code junit.jupiter.execution.timeout.default} (root pom), run in a separate
 * thread so that even a test stuck in an uninterruptible wait ({@code close()}, {@code join()})
 * fails at its deadline.
 */
public final class ThreadDumpOnTimeout implements TestExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    if (isTimeout(failure)) {
      StringBuilder dump = new StringBuilder("Thread dump after ").append(context.getDisplayName())
          .append(" timed out:\n");
      for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
        Thread t = e.getKey();
        dump.append('"').append(t.getName()).append("\" ").append(t.isDaemon() ? "daemon " : "")
            .append(t.getState()).append('\n');
        for (StackTraceElement frame : e.getValue()) {
          dump.append("\tat ").append(frame).append('\n');
        }
        dump.append('\n');
      }
      System.err.print(dump);
    }
    throw failure;
  }

  private static boolean isTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }
}
