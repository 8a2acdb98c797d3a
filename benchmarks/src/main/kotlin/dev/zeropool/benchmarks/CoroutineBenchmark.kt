package dev.zeropool.benchmarks

import kotlinx.benchmark.Benchmark
import kotlinx.benchmark.BenchmarkMode
import kotlinx.benchmark.BenchmarkTimeUnit
import kotlinx.benchmark.Measurement
import kotlinx.benchmark.Mode
import kotlinx.benchmark.OutputTimeUnit
import kotlinx.benchmark.Param
import kotlinx.benchmark.Scope
import kotlinx.benchmark.Setup
import kotlinx.benchmark.State
import kotlinx.benchmark.TearDown
import kotlinx.benchmark.Warmup
import org.openjdk.jmh.annotations.Fork
import org.openjdk.jmh.annotations.OperationsPerInvocation

/**
 * Coroutines on ZeroPool's dispatcher (`ZeroPool.asCoroutineDispatcher()`) against kotlinx's
 * `Dispatchers.Default`, a fixed thread pool's and a ForkJoinPool's dispatcher (see [DispatcherUnderTest]),
 * all in one run. The workloads are in [CoroutineWorkloads]; each call is one `runBlocking` from the
 * benchmark thread, and scores and *alloc* are per coroutine, round, yield or round trip
 * ([OperationsPerInvocation]). Lower is better; the report divides each score by the best of the
 * `default`, `fixed` and `forkjoin` rows of the same workload.
 *
 * - `launchAndJoin`: a coroutine on the dispatcher launches [LAUNCHES] empty coroutines and waits for them.
 * - `pingPong`: two coroutines exchange [PING_PONG_ROUNDS] round trips over two rendezvous channels.
 * - `yieldLoops`: [YIELD_COROUTINES] coroutines each call `yield()` [YIELDS] times.
 * - `asyncFanOut`: [FAN_OUT] `async` coroutines of about 1 µs of computing each, summed with `awaitAll`.
 * - `withContextRoundTrips`: the `runBlocking` thread switches to the dispatcher and back [ROUND_TRIPS]
 *   times in sequence (latency).
 *
 * The pool-backed dispatchers get [WORKERS] threads, the size of `Dispatchers.Default`'s core pool (one
 * per processor, at least 2), which is used as it is. Written with kotlinx-benchmark's annotations
 * (on the JVM they are JMH's; `@Fork` and `@OperationsPerInvocation` have no kotlinx name and are JMH's).
 *
 * ```
 * java -jar benchmarks/target/benchmarks.jar '^dev.zeropool.benchmarks.CoroutineBenchmark' -p dispatcher=zeropool,default -prof gc
 * ```
 *
 * Latest results: a short run (`-f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc`) on a shared 2-core VM while other
 * builds ran (hence the error bars), JDK 17, 2 workers, scheduler with range entries and the run-next slot
 * (main of 2026-12-02); indicative only. *vs best peer* is the ratio to the fastest of `default`, `fixed`
 * and `forkjoin`. The `asyncFanOut` rows are from 2026-12-03 (`-f 3 -wi 4 -i 5 -w 500ms -r 500ms`, alloc
 * from the earlier run), after its expected sum moved out of the measured call: recomputed in every
 * call on one thread, it had added about 1 µs per coroutine to every dispatcher's score:
 * ```
 * | workload | pool | score (ns/op) | ± error | vs best peer | alloc (B/op) |
 * |---|---|---:|---:|---:|---:|
 * | asyncFanOut | forkjoin | 936 | 72 | 1.00 | 322 |
 * | asyncFanOut | zeropool | 952 | 47 | 1.02 | 313 |
 * | asyncFanOut | fixed | 967 | 56 | 1.03 | 338 |
 * | asyncFanOut | default | 1,020 | 42 | 1.09 | 313 |
 * | launchAndJoin | forkjoin | 461 | 416 | 1.00 | 223 |
 * | launchAndJoin | fixed | 599 | 1,669 | 1.30 | 235 |
 * | launchAndJoin | zeropool | 736 | 4,563 | 1.60 | 209 |
 * | launchAndJoin | default | 2,262 | 15,692 | 4.91 | 215 |
 * | pingPong | default | 661 | 526 | 1.00 | 54.6 |
 * | pingPong | zeropool | 781 | 1,174 | 1.18 | 54.8 |
 * | pingPong | fixed | 1,031 | 8,711 | 1.56 | 103 |
 * | pingPong | forkjoin | 1,931 | 23,804 | 2.92 | 103 |
 * | withContextRoundTrips | zeropool | 20,483 | 57,626 | 0.53 | 225 |
 * | withContextRoundTrips | default | 38,560 | 96,471 | 1.00 | 225 |
 * | withContextRoundTrips | fixed | 42,536 | 150,184 | 1.10 | 291 |
 * | withContextRoundTrips | forkjoin | 48,756 | 111,338 | 1.26 | 249 |
 * | yieldLoops | forkjoin | 33.8 | 87.6 | 1.00 | 26.8 |
 * | yieldLoops | default | 53.9 | 120 | 1.60 | 2.5 |
 * | yieldLoops | zeropool | 88.2 | 97.4 | 2.61 | 2.5 |
 * | yieldLoops | fixed | 167 | 964 | 4.94 | 32.3 |
 * ```
 */
@State(Scope.Benchmark)
@PoolParameter(name = "dispatcher", peers = ["default", "fixed", "forkjoin"])
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(BenchmarkTimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1, timeUnit = BenchmarkTimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = BenchmarkTimeUnit.SECONDS)
public open class CoroutineBenchmark {

    /** The dispatcher under test: `zeropool`, or the peers `default`, `fixed` and `forkjoin`. */
    @Param("zeropool", "default", "fixed", "forkjoin")
    @JvmField
    public var dispatcher: String = ""

    private lateinit var under: DispatcherUnderTest

    /** Creates the dispatcher and its pool. */
    @Setup
    public fun setUp() {
        under = DispatcherUnderTest(dispatcher, WORKERS, limitDefault = false)
    }

    /** Shuts the pool down. */
    @TearDown
    public fun tearDown() {
        under.close()
    }

    /** Launch [LAUNCHES] coroutines and join them; per coroutine. */
    @Benchmark
    @OperationsPerInvocation(LAUNCHES)
    public fun launchAndJoin(): Int = CoroutineWorkloads.launchAndJoin(under.dispatcher, LAUNCHES)

    /** Channel ping-pong between two coroutines; per round trip. */
    @Benchmark
    @OperationsPerInvocation(PING_PONG_ROUNDS)
    public fun pingPong(): Long = CoroutineWorkloads.pingPong(under.dispatcher, PING_PONG_ROUNDS)

    /** Coroutines taking turns with `yield()`; per yield. */
    @Benchmark
    @OperationsPerInvocation(YIELD_COROUTINES * YIELDS)
    public fun yieldLoops(): Long = CoroutineWorkloads.yieldLoops(under.dispatcher, YIELD_COROUTINES, YIELDS)

    /** `async` fan-out of ~1 µs coroutines and `awaitAll`; per coroutine. */
    @Benchmark
    @OperationsPerInvocation(FAN_OUT)
    public fun asyncFanOut(): Long = CoroutineWorkloads.asyncFanOut(under.dispatcher, FAN_OUT, Kernels.MICRO_STEPS)

    /** `withContext(dispatcher)` from the `runBlocking` thread and back; per round trip. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public fun withContextRoundTrips(): Long = CoroutineWorkloads.withContextRoundTrips(under.dispatcher, ROUND_TRIPS)

    public companion object {
        /** Threads of the pool-backed dispatchers: as many as `Dispatchers.Default` runs. */
        @JvmField
        public val WORKERS: Int = maxOf(2, Runtime.getRuntime().availableProcessors())

        /** Coroutines launched per `launchAndJoin` call. */
        public const val LAUNCHES: Int = 100_000

        /** Round trips per `pingPong` call. */
        public const val PING_PONG_ROUNDS: Int = 1_000

        /** Coroutines per `yieldLoops` call. */
        public const val YIELD_COROUTINES: Int = 100

        /** `yield()` calls per coroutine of `yieldLoops`. */
        public const val YIELDS: Int = 100

        /** `async` coroutines per `asyncFanOut` call. */
        public const val FAN_OUT: Int = 1_000

        /** `withContext` switches per `withContextRoundTrips` call. */
        public const val ROUND_TRIPS: Int = 1_000
    }
}
