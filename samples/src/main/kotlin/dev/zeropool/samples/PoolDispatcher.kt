package dev.zeropool.samples

import dev.zeropool.ZeroPool
import dev.zeropool.coroutines.asCoroutineDispatcher
import dev.zeropool.coroutines.zeroPoolDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield

/**
 * The pool as a CoroutineDispatcher: coroutines ride the same lock-free queue as tasks. A
 * `limitedParallelism(1)` view serialises access to non-thread-safe state without a lock, and
 * [zeroPoolDispatcher] makes a dispatcher that owns (and on close shuts down) its pool.
 */
object PoolDispatcher {
    /** Runs the sample on [pool]; from Java: `PoolDispatcher.run(pool)`. */
    @JvmStatic
    fun run(pool: ZeroPool): Unit = runBlocking {
        val dispatcher = pool.asCoroutineDispatcher() // borrows the pool; closing it leaves the pool alone

        val squares = withContext(dispatcher) {
            (1..10).map { n -> async { delay(1); n * n } }.awaitAll() // delay uses kotlinx's timer, resumes here
        }

        val counts = HashMap<String, Int>() // not thread-safe: one coroutine at a time touches it
        val serial = dispatcher.limitedParallelism(1)
        withContext(serial) {
            repeat(4) { worker ->
                launch {
                    repeat(1_000) {
                        counts.merge("hits", 1, Int::plus)
                        if (it % 100 == 0) yield()
                    }
                    counts.merge("worker-$worker", 1, Int::plus)
                }
            }
        }

        val thread = zeroPoolDispatcher(2).use { owned -> withContext(owned) { Thread.currentThread().name } }
        val configured = zeroPoolDispatcher { workers(2); threadNamePrefix("sample-") }
        val configuredThread = configured.use { owned -> withContext(owned) { Thread.currentThread().name } }
        println("dispatcher: squares = $squares, counts = ${counts.toSortedMap()}, owned pool thread = $thread, " +
            "configured thread = $configuredThread, $configured")
    }

    @JvmStatic
    fun main(args: Array<String>) {
        ZeroPool.create().use { run(it) }
    }
}
