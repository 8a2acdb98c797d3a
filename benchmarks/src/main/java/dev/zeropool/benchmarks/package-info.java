/**
 * JMH benchmarks of ZeroPool against {@link java.util.concurrent.ForkJoinPool} and
 * {@link java.util.concurrent.ThreadPoolExecutor}, and the {@link dev.zeropool.benchmarks.Report} tool
 * that runs them all and writes a Markdown table and a PNG chart.
 *
 * <p>Every benchmark method is named after the pool it measures ({@code zeroPool...},
 * {@code forkJoin...}, {@code threadPool...}); the report relies on those prefixes to find the JDK
 * peers a ZeroPool score is compared with. Each class keeps its latest result table in its header
 * comment; {@code docs/benchmarks.md} says how to reproduce them.
 */
package dev.zeropool.benchmarks;
