package dev.zeropool.samples;

import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;
import java.util.List;

/** Many tasks with the same handle and one future for all of them. */
public final class UniformBatch {

  /** One row of a matrix-vector product. */
  static final class Row {
    final double[] row;
    final double[] vector;
    double result;

    Row(double[] row, double[] vector) {
      this.row = row;
      this.vector = vector;
    }
  }

  static final TaskFn<Row> DOT = r -> {
    double s = 0;
    for (int i = 0; i < r.row.length; i++) {
      s += r.row[i] * r.vector[i];
    }
    r.result = s;
  };

  private UniformBatch() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) {
    double[] vector = {1, 2, 3};
    Row[] rows = {new Row(new double[] {1, 0, 0}, vector), new Row(new double[] {0, 1, 0}, vector),
        new Row(new double[] {1, 1, 1}, vector)};
    pool.submitBatch(DOT, rows).join(); // an array of parameter objects
    System.out.printf("uniform batch (array): %.0f %.0f %.0f%n", rows[0].result, rows[1].result, rows[2].result);

    List<Row> more = List.of(new Row(new double[] {2, 2, 2}, vector), new Row(new double[] {0, 0, 3}, vector));
    pool.submitBatch(DOT, more).join(); // or a list
    System.out.printf("uniform batch (list): %.0f %.0f%n", more.get(0).result, more.get(1).result);
  }

  public static void main(String[] args) {
    try (ZeroPool pool = ZeroPool.create()) {
      run(pool);
    }
  }
}
