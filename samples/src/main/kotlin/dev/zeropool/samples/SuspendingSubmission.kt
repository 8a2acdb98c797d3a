package dev.zeropool.samples

import dev.zeropool.TaskFn
import dev.zeropool.ZeroPool
import dev.zeropool.coroutines.await
import dev.zeropool.coroutines.compute
import dev.zeropool.coroutines.runBatch
import dev.zeropool.coroutines.runTask
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/**
 * Suspending submission: `runTask`/`runBatch` suspend the coroutine (no thread blocks) until the
 * tasks are done, rethrow a task's own exception, and skip queued tasks if the caller is cancelled;
 * `compute { }` returns one value computed on the pool.
 */
object SuspendingSubmission {
    /** Input and output of one computation: the task writes [primes] from [limit]. */
    private class PrimeCount(val limit: Int) {
        var primes = 0
    }

    /** A static handle: submitting it allocates nothing for the function. */
    private val COUNT_PRIMES = TaskFn<PrimeCount> { p ->
        p.primes = (2..p.limit).count { n -> (2..Math.sqrt(n.toDouble()).toInt()).none { n % it == 0 } }
    }

    /** Runs the sample on [pool]; from Java: `SuspendingSubmission.run(pool)`. */
    @JvmStatic
    fun run(pool: ZeroPool): Unit = runBlocking {
        val one = PrimeCount(10_000)
        pool.runTask(COUNT_PRIMES, one)

        val many = List(8) { PrimeCount(20_000 * (it + 1)) }
        pool.runBatch(COUNT_PRIMES, many)

        val fromJava = PrimeCount(1_000)
        pool.submitTask(COUNT_PRIMES, fromJava).await() // any TaskFuture can be awaited

        val biggest = pool.compute { many.maxOf { it.primes } } // one value from the pool, no handle needed

        val failure = runCatching { pool.runTask(TaskFn<String> { error(it) }, "a task's own exception") }.exceptionOrNull()

        val timedOut = try {
            withTimeout(1) { pool.runBatch(COUNT_PRIMES, List(200) { PrimeCount(200_000) }) }
            "no"
        } catch (e: TimeoutCancellationException) {
            "yes, queued tasks skipped"
        }
        println("suspending submission: primes below 10k = ${one.primes}, batch = ${many.map { it.primes }}, " +
            "awaited = ${fromJava.primes}, computed max = $biggest, failure = ${failure?.javaClass?.simpleName}(${failure?.message}), timed out = $timedOut")
    }

    @JvmStatic
    fun main(args: Array<String>) {
        ZeroPool.create().use { run(it) }
    }
}
