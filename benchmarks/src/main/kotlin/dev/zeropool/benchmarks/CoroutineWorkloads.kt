package dev.zeropool.benchmarks

import dev.zeropool.TaskBatch
import dev.zeropool.TaskFn
import dev.zeropool.TaskFuture
import dev.zeropool.ZeroPool
import dev.zeropool.coroutines.asCoroutineDispatcher
import dev.zeropool.coroutines.buildBatch
import dev.zeropool.coroutines.submitBatch
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ExecutorService
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import kotlinx.coroutines.asCoroutineDispatcher as asKotlinxDispatcher

/**
 * The workloads of [CoroutineBenchmark], [ScalingCoroutineBenchmark] and [BatchDslBenchmark]: the coroutine
 * workloads, written once and run on whichever dispatcher the benchmark passes, and the batch-DSL calls.
 *
 * Every workload starts from the calling (benchmark) thread with `runBlocking` and returns only when
 * every coroutine it started has finished, so one call is one complete, self-checking operation.
 */
public object CoroutineWorkloads {

    /** ZeroPool's own dispatcher over [pool] (the bridge's `asCoroutineDispatcher`); it borrows the pool. */
    @JvmStatic
    public fun dispatcherOnZeroPool(pool: ZeroPool): CoroutineDispatcher = pool.asCoroutineDispatcher()

    /** kotlinx's dispatcher over a JDK [executor]; closing the executor is the caller's job. */
    @JvmStatic
    public fun dispatcherOnExecutor(executor: ExecutorService): CoroutineDispatcher = executor.asKotlinxDispatcher()

    /**
     * Launches [coroutines] empty coroutines from a coroutine running on [dispatcher] and waits for all
     * of them (structured concurrency: `withContext` returns after its children). Returns [coroutines].
     */
    @JvmStatic
    public fun launchAndJoin(dispatcher: CoroutineDispatcher, coroutines: Int): Int = runBlocking {
        withContext(dispatcher) {
            repeat(coroutines) { launch { } }
        }
        coroutines
    }

    /**
     * Two coroutines on [dispatcher] pass a number back and forth [rounds] times over two rendezvous
     * channels, so each round is two suspensions and two resumptions. Returns the checked sum of the
     * replies.
     */
    @JvmStatic
    public fun pingPong(dispatcher: CoroutineDispatcher, rounds: Int): Long = runBlocking {
        val sum = withContext(dispatcher) {
            val ping = Channel<Int>()
            val pong = Channel<Int>()
            launch {
                repeat(rounds) { pong.send(ping.receive() + 1) }
            }
            var total = 0L
            repeat(rounds) {
                ping.send(it)
                total += pong.receive()
            }
            total
        }
        check(sum == rounds.toLong() * (rounds + 1) / 2) { "ping-pong sum $sum after $rounds rounds" }
        sum
    }

    /**
     * Launches [coroutines] coroutines on [dispatcher] that each call `yield()` [yields] times, and
     * waits for all of them. Returns the number of yields.
     */
    @JvmStatic
    public fun yieldLoops(dispatcher: CoroutineDispatcher, coroutines: Int, yields: Int): Long = runBlocking {
        withContext(dispatcher) {
            repeat(coroutines) {
                launch { repeat(yields) { yield() } }
            }
        }
        coroutines.toLong() * yields
    }

    /**
     * Starts [coroutines] `async` coroutines on [dispatcher] that each run [steps] LCG steps (800 steps are
     * about 1 µs), and sums their results with `awaitAll`. Returns the checked sum.
     */
    @JvmStatic
    public fun asyncFanOut(dispatcher: CoroutineDispatcher, coroutines: Int, steps: Int): Long {
        val expected = fanOutSums.computeIfAbsent((coroutines.toLong() shl 32) or steps.toLong()) {
            (0 until coroutines).sumOf { i -> Kernels.lcg(i.toLong(), steps) }
        }
        val sum = runBlocking {
            withContext(dispatcher) {
                List(coroutines) { i -> async { Kernels.lcg(i.toLong(), steps) } }.awaitAll().sum()
            }
        }
        check(sum == expected) { "fan-out sum $sum, expected $expected" }
        return sum
    }

    /**
     * The fan-out's expected sums by shape, each computed once: computed in every call, on one thread,
     * they took as long as the fan-out itself and diluted the differences between dispatchers.
     */
    private val fanOutSums = ConcurrentHashMap<Long, Long>()

    /**
     * From the `runBlocking` thread, switches to [dispatcher] and back [roundTrips] times, one after
     * the other; each switch computes a number on the dispatcher. Returns the checked sum.
     */
    @JvmStatic
    public fun withContextRoundTrips(dispatcher: CoroutineDispatcher, roundTrips: Int): Long = runBlocking {
        var sum = 0L
        repeat(roundTrips) { i -> sum += withContext(dispatcher) { i.toLong() } }
        check(sum == roundTrips.toLong() * (roundTrips - 1) / 2) { "withContext sum $sum after $roundTrips trips" }
        sum
    }

    /**
     * Builds and submits one batch with the inline DSL, `pool.submitBatch { task(...); tasks(...) }`:
     * [first] then every element of [rest], all with the handle [fn]. Does not wait.
     */
    @JvmStatic
    public fun <P> submitWithDsl(pool: ZeroPool, fn: TaskFn<P>, first: P, rest: List<P>): TaskFuture =
        pool.submitBatch {
            task(fn, first)
            tasks(fn, rest)
        }

    /** Builds, with `buildBatch {}`, the same batch as [submitWithDsl] submits, to be submitted again and again. */
    @JvmStatic
    public fun <P> buildWithDsl(fn: TaskFn<P>, first: P, rest: List<P>): TaskBatch = buildBatch {
        task(fn, first)
        tasks(fn, rest)
    }
}
