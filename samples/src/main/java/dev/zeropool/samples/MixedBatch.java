package dev.zeropool.samples;

import dev.zeropool.TaskBatch;
import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;

/** Different handles and parameter types in one batch, with one future. */
public final class MixedBatch {

  /** Two operands and a result. */
  static final class Pair {
    final int a;
    final int b;
    int result;

    Pair(int a, int b) {
      this.a = a;
      this.b = b;
    }
  }

  /** A text to measure. */
  static final class Text {
    final String text;
    int length;

    Text(String text) {
      this.text = text;
    }
  }

  static final TaskFn<Pair> ADD = p -> p.result = p.a + p.b;
  static final TaskFn<Pair> MULTIPLY = p -> p.result = p.a * p.b;
  static final TaskFn<Text> LENGTH = t -> t.length = t.text.length();

  private MixedBatch() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) {
    Pair sum = new Pair(2, 3);
    Pair product = new Pair(4, 5);
    Text text = new Text("zero allocation");
    TaskBatch batch = TaskBatch.builder().add(ADD, sum).add(MULTIPLY, product).add(LENGTH, text).build();
    pool.submitBatch(batch).join();
    System.out.println("mixed batch: 2+3=" + sum.result + " 4*5=" + product.result + " length=" + text.length);
  }

  public static void main(String[] args) {
    try (ZeroPool pool = ZeroPool.create()) {
      run(pool);
    }
  }
}
