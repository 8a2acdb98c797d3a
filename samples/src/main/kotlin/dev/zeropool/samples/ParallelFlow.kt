package dev.zeropool.samples

import dev.zeropool.ZeroPool
import dev.zeropool.coroutines.mapParallel
import dev.zeropool.coroutines.mapParallelSuspending
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking

/**
 * `Flow.mapParallel`: each element becomes a pool task, at most `concurrency` in flight (by default the
 * worker count), results in upstream order. Stopping early (here `take`) skips elements that have not
 * started. `mapParallelSuspending` does the same for a transform that suspends.
 */
object ParallelFlow {
    /** Collatz steps from [start] to 1: a small CPU-bound function. */
    private fun collatzSteps(start: Long): Int {
        var n = start
        var steps = 0
        while (n != 1L) {
            n = if (n % 2 == 0L) n / 2 else 3 * n + 1
            steps++
        }
        return steps
    }

    /** Runs the sample on [pool]; from Java: `ParallelFlow.run(pool)`. */
    @JvmStatic
    fun run(pool: ZeroPool): Unit = runBlocking {
        val steps = (1L..20L).asFlow()
            .mapParallel(pool) { it to collatzSteps(it) } // by default one element per worker in flight
            .toList()
        val longRunners = (1L..1_000_000L).asFlow()
            .mapParallel(pool, concurrency = 8) { it to collatzSteps(it) }
            .filter { it.second > 300 }
            .take(3)
            .toList()
        val checked = (1L..8L).asFlow()
            .mapParallelSuspending(pool) { n -> delay(1); collatzSteps(n) } // a transform that suspends
            .toList()
        println("parallel flow: steps = ${steps.map { it.second }}, first over 300 = $longRunners, suspending = $checked")
    }

    @JvmStatic
    fun main(args: Array<String>) {
        ZeroPool.create().use { run(it) }
    }
}
