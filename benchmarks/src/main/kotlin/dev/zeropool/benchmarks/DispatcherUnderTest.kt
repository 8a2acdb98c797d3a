package dev.zeropool.benchmarks

import dev.zeropool.ZeroPool
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.ForkJoinPool
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers

/**
 * A coroutine dispatcher of the coroutine benchmarks and the pool behind it, created from the benchmark's
 * `dispatcher` parameter with [workers] threads:
 *
 * - `zeropool`: `ZeroPool.create(workers).asCoroutineDispatcher()` (the bridge of zeropool-coroutines);
 * - `fixed`: `Executors.newFixedThreadPool(workers).asCoroutineDispatcher()` (kotlinx's executor bridge);
 * - `forkjoin`: `ForkJoinPool(workers).asCoroutineDispatcher()`;
 * - `default`: `Dispatchers.Default` as it is when [limitDefault] is false (its own size, one thread per
 *   core and at least 2), else `Dispatchers.Default.limitedParallelism(workers)`, which never runs more
 *   threads than Default has.
 *
 * ```
 * val under = DispatcherUnderTest("zeropool", 2, limitDefault = false)
 * try { CoroutineWorkloads.launchAndJoin(under.dispatcher, 1000) } finally { under.close() }
 * ```
 */
public class DispatcherUnderTest(name: String, workers: Int, limitDefault: Boolean) : AutoCloseable {

    private val pool: ExecutorService?

    /** The dispatcher the workloads run on. */
    public val dispatcher: CoroutineDispatcher

    init {
        when (name) {
            "zeropool" -> {
                val zeroPool = ZeroPool.create(workers)
                pool = zeroPool
                dispatcher = CoroutineWorkloads.dispatcherOnZeroPool(zeroPool)
            }
            "fixed" -> {
                pool = Executors.newFixedThreadPool(workers)
                dispatcher = CoroutineWorkloads.dispatcherOnExecutor(pool)
            }
            "forkjoin" -> {
                pool = ForkJoinPool(workers)
                dispatcher = CoroutineWorkloads.dispatcherOnExecutor(pool)
            }
            "default" -> {
                pool = null
                dispatcher = if (limitDefault) Dispatchers.Default.limitedParallelism(workers) else Dispatchers.Default
            }
            else -> throw IllegalArgumentException("unknown dispatcher '$name'")
        }
    }

    /** Shuts the pool down and waits for its threads (`Dispatchers.Default` is shared and stays). */
    override fun close() {
        Pools.close(pool)
    }
}
