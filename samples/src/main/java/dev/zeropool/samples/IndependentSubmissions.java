package dev.zeropool.samples;

import dev.zeropool.TaskFn;
import dev.zeropool.TaskFuture;
import dev.zeropool.ZeroPool;

/** Several submissions in flight at once, waited for in any order, from any thread. */
public final class IndependentSubmissions {

  /** A Fibonacci number to compute. */
  static final class Fib {
    final int n;
    long value;

    Fib(int n) {
      this.n = n;
    }
  }

  static final TaskFn<Fib> FIB = f -> {
    long a = 0;
    long b = 1;
    for (int i = 0; i < f.n; i++) {
      long next = a + b;
      a = b;
      b = next;
    }
    f.value = a;
  };

  private IndependentSubmissions() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) throws InterruptedException {
    Fib f10 = new Fib(10);
    Fib f50 = new Fib(50);
    Fib f90 = new Fib(90);
    TaskFuture a = pool.submitTask(FIB, f10);
    TaskFuture b = pool.submitTask(FIB, f50);
    TaskFuture c = pool.submitTask(FIB, f90);

    c.join(); // any order
    a.join();
    Thread other = new Thread(b::join); // and from any thread, not only the submitter
    other.start();
    other.join();
    System.out.println("independent submissions: fib(10)=" + f10.value + " fib(50)=" + f50.value + " fib(90)=" + f90.value);
  }

  public static void main(String[] args) throws InterruptedException {
    try (ZeroPool pool = ZeroPool.create()) {
      run(pool);
    }
  }
}
