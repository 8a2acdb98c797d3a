/**
 * JMH benchmarks of ZeroPool against {@link java.util.concurrent.ForkJoinPool},
 * {@link java.util.concurrent.ThreadPoolExecutor} and kotlinx's {@code Dispatchers.Default}, and the
 * {@link dev.zeropool.benchmarks.Report} tool that runs them all and writes a Markdown table and a PNG chart.
 *
 * <p>A benchmark method is named after the pool it measures ({@code zeroPool...}, {@code forkJoin...},
 * {@code threadPool...}), and the report relies on those prefixes to find the peers a ZeroPool score is
 * compared with; a class whose pool is a parameter instead says which values are peers with
 * {@link dev.zeropool.benchmarks.PoolParameter}. The coroutine benchmarks are Kotlin, written with
 * kotlinx-benchmark's annotations. Each class keeps its latest result table in its header comment;
 * {@code docs/benchmarks.md} says how to reproduce them.
 */
package dev.zeropool.benchmarks;
