package dev.zeropool.samples;

import dev.zeropool.ZeroPool;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/** ZeroPool as a plain {@link ExecutorService}: execute, submit, invokeAll, CompletableFuture. */
public final class ExecutorInterop {

  private ExecutorInterop() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) throws InterruptedException, ExecutionException {
    ExecutorService executor = pool; // drop-in where an ExecutorService is expected
    executor.execute(() -> { }); // rides the lock-free queue, no allocation of its own
    int answer = executor.submit(() -> 6 * 7).get();
    List<Callable<String>> calls = List.of(() -> "a", () -> "b");
    StringBuilder joined = new StringBuilder();
    for (var f : executor.invokeAll(calls)) {
      joined.append(f.get());
    }
    String async = CompletableFuture.supplyAsync(() -> "async", pool).thenApplyAsync(String::toUpperCase, pool).join();
    System.out.println("executor interop: submit=" + answer + " invokeAll=" + joined + " completable=" + async);
  }

  public static void main(String[] args) throws Exception {
    try (ZeroPool pool = ZeroPool.create()) {
      run(pool);
    }
  }
}
