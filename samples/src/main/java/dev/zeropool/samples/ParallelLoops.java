package dev.zeropool.samples;

import dev.zeropool.Split;
import dev.zeropool.ZeroPool;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parallel loops over index ranges, arrays and lists (micropool's parallel iteration): a sum, an
 * image-style 2D loop split by rows, reductions without boxing and an early-exit search. Each call
 * allocates one small descriptor and nothing per index; the calling thread works too.
 */
public final class ParallelLoops {

  private ParallelLoops() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) {
    // Parallel sum of a long[] (micropool's `sum`), and zip-add (its `add`).
    long[] a = new long[1_000_000];
    long[] b = new long[a.length];
    Arrays.setAll(a, i -> i);
    Arrays.setAll(b, i -> 2L * i);
    long[] out = new long[a.length];
    pool.forRange(0, a.length, i -> out[i] = a[i] + b[i]); // adaptive split: no tuning needed
    long sum = pool.sumLong(0, out.length, Split.byThreads(), i -> out[i]);
    System.out.println("loops: sum of a + b over 1 000 000 elements = " + sum);

    // An image-style 2D loop: one claim per row (Split.per(1) == perItem), columns in the body.
    int width = 640;
    int height = 480;
    int[] pixels = new int[width * height];
    pool.forRange(0, height, Split.per(1), y -> {
      for (int x = 0; x < width; x++) {
        pixels[y * width + x] = mandelbrot((x - 400) / 200.0, (y - 240) / 200.0);
      }
    });
    long inside = pool.sumLong(0, pixels.length, i -> pixels[i] == 255 ? 1 : 0);
    System.out.println("loops: " + inside + " of " + pixels.length + " pixels are inside the Mandelbrot set");

    // Reductions without boxing, forEach over arrays and lists, and a search that stops early.
    long max = pool.reduce(0, a.length, Long.MIN_VALUE, i -> a[i] ^ 0x5DEECE66DL, Math::max);
    double mean = pool.sumDouble(0, a.length, i -> a[i]) / a.length;
    String[] words = {"fork", "join", "range", "split", "spawn"};
    AtomicInteger letters = new AtomicInteger();
    pool.forEach(words, Split.perItem(), w -> letters.addAndGet(w.length()));
    pool.forEach(List.of(words), w -> letters.addAndGet(w.length())); // lists work the same way
    int firstBig = pool.findAny(0, a.length, i -> a[i] > 999_990);
    System.out.println("loops: max " + max + ", mean " + mean + ", letters " + letters.get()
        + ", found " + firstBig + " (some index above 999 990), anyMatch(negative) = "
        + pool.anyMatch(0, a.length, i -> a[i] < 0));
  }

  static int mandelbrot(double cr, double ci) {
    double zr = 0;
    double zi = 0;
    int n = 0;
    while (n < 255 && zr * zr + zi * zi < 4) {
      double t = zr * zr - zi * zi + cr;
      zi = 2 * zr * zi + ci;
      zr = t;
      n++;
    }
    return n;
  }
}
