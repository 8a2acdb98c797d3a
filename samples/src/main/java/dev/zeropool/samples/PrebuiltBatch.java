package dev.zeropool.samples;

import dev.zeropool.TaskBatch;
import dev.zeropool.TaskFn;
import dev.zeropool.ZeroPool;

/**
 * Build a batch once, submit it every frame: no per-submission conversion, and no allocation per
 * task (only the future per submission). The tasks read the parameter objects' current state.
 */
public final class PrebuiltBatch {

  /** A particle moved by its velocity each frame. */
  static final class Particle {
    double x;
    final double velocity;

    Particle(double velocity) {
      this.velocity = velocity;
    }
  }

  static final TaskFn<Particle> STEP = p -> p.x += p.velocity;

  private PrebuiltBatch() {}

  /** Runs the sample on {@code pool}. */
  public static void run(ZeroPool pool) {
    Particle[] particles = new Particle[256];
    for (int i = 0; i < particles.length; i++) {
      particles[i] = new Particle(i * 0.5);
    }
    TaskBatch frame = TaskBatch.builder().addAll(STEP, particles).build(); // built once
    for (int f = 0; f < 60; f++) {
      pool.submitBatch(frame).join(); // submitted 60 times
    }
    System.out.println("pre-built batch: particle[10].x after 60 frames = " + particles[10].x);
  }

  public static void main(String[] args) {
    try (ZeroPool pool = ZeroPool.create()) {
      run(pool);
    }
  }
}
