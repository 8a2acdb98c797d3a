package dev.zeropool.samples

import dev.zeropool.Split
import dev.zeropool.ZeroPool
import dev.zeropool.coroutines.await
import dev.zeropool.coroutines.forRange
import dev.zeropool.coroutines.joinPair
import dev.zeropool.coroutines.parallelFor
import dev.zeropool.coroutines.sumOf
import kotlinx.coroutines.runBlocking

/**
 * Fork-join from Kotlin: `joinPair` returns both results, `forRange`/`sumOf` take Kotlin ranges,
 * `parallelFor` suspends instead of blocking, and a spawned task can be awaited.
 */
object ForkJoinKt {
    private fun fib(pool: ZeroPool, n: Int): Long =
        if (n < 20) fibSequential(n) else pool.joinPair({ fib(pool, n - 1) }, { fib(pool, n - 2) }).let { (a, b) -> a + b }

    private fun fibSequential(n: Int): Long = if (n < 2) n.toLong() else fibSequential(n - 1) + fibSequential(n - 2)

    /** Runs the sample on [pool]; from Java: `ForkJoinKt.run(pool)`. */
    @JvmStatic
    fun run(pool: ZeroPool): Unit = runBlocking {
        val squares = LongArray(100_000)
        pool.forRange(squares.indices) { i -> squares[i] = i.toLong() * i }
        val total = pool.sumOf(squares.indices, Split.byThreads()) { i -> squares[i] }
        val rows = Array(100) { IntArray(100) }
        pool.parallelFor(rows.indices, Split.perItem()) { y -> rows[y].fill(y) } // suspends, never blocks
        val answer = pool.spawn { 6 * 7 }.await()
        println("kotlin fork-join: fib(27) = ${fib(pool, 27)}, sum of squares = $total, row 99 = ${rows[99][0]}, spawned = $answer")
    }
}
