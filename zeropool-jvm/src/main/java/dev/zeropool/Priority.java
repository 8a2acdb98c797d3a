package dev.zeropool;

/**
 * The two scheduling tiers. Workers always take foreground work first and run background work only
 * when no foreground work is waiting (strict priority, as micropool's foreground work and
 * background {@code spawn}s are). Within a tier, order is FIFO.
 *
 * <pre>{@code
 * pool.submitBatch(COMPACT, segments, TaskOptions.BACKGROUND);   // runs in the gaps
 * pool.submitBatch(SERVE, requests);                             // foreground by default
 * }</pre>
 *
 * <p>Background work is not starved as long as the foreground has gaps; a foreground load that never
 * lets up does starve it, by design.
 */
public enum Priority {
  /** Latency-sensitive work; the default. */
  FOREGROUND,
  /** Work that may wait for a gap in the foreground. */
  BACKGROUND
}
