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
 * The scaling set for coroutines: [LAUNCHES] empty coroutines launched and joined per operation, by
 * `producers` threads at once (each a `runBlocking` that launches its share, `LAUNCHES / producers`, from
 * a coroutine on the dispatcher; see [Producers]), on a dispatcher of `workers` threads: ZeroPool's, a
 * ForkJoinPool's, and `Dispatchers.Default.limitedParallelism(workers)` (Default itself never runs more
 * threads than it has: one per core, at least 2, so above that the `default` rows stay at its size).
 * Score per coroutine; lower is better; the report divides by the best of `forkjoin` and `default`.
 *
 * Run it with [ScalingBenchmark] as `java -cp benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.Report scaling`.
 */
@State(Scope.Benchmark)
@PoolParameter(name = "dispatcher", peers = ["forkjoin", "default"])
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(BenchmarkTimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1, timeUnit = BenchmarkTimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = BenchmarkTimeUnit.SECONDS)
public open class ScalingCoroutineBenchmark {

    /** The dispatcher under test: `zeropool`, or the peers `forkjoin` and `default`. */
    @Param("zeropool", "forkjoin", "default")
    @JvmField
    public var dispatcher: String = ""

    /** Threads of the dispatcher. */
    @Param("1", "2", "4", "8", "16")
    @JvmField
    public var workers: Int = 0

    /** Threads launching at once, the benchmark thread included. */
    @Param("1", "2", "4")
    @JvmField
    public var producers: Int = 0

    private lateinit var under: DispatcherUnderTest
    private lateinit var producerThreads: Producers
    private lateinit var launchPart: Producers.Part

    /** Creates the dispatcher, its pool and the producer threads. */
    @Setup
    public fun setUp() {
        under = DispatcherUnderTest(dispatcher, workers, limitDefault = true)
        producerThreads = Producers(producers)
        val share = LAUNCHES / producers
        launchPart = Producers.Part { CoroutineWorkloads.launchAndJoin(under.dispatcher, share) }
    }

    /** Stops the producer threads and shuts the pool down. */
    @TearDown
    public fun tearDown() {
        producerThreads.close()
        under.close()
    }

    /** Every producer launches and joins its share of [LAUNCHES] coroutines; per coroutine. */
    @Benchmark
    @OperationsPerInvocation(LAUNCHES)
    public fun launchAndJoin() {
        producerThreads.run(launchPart)
    }

    public companion object {
        /** Coroutines per operation, all producers together; divisible by every `producers` value. */
        public const val LAUNCHES: Int = 10_000
    }
}
