package dev.zeropool.samples

import dev.zeropool.TaskFn
import dev.zeropool.ZeroPool
import dev.zeropool.coroutines.await
import dev.zeropool.coroutines.batch
import dev.zeropool.coroutines.buildBatch
import dev.zeropool.coroutines.runBatch
import dev.zeropool.coroutines.submitBatch
import kotlinx.coroutines.runBlocking

/**
 * Mixed batches with the inline DSL: handles of different parameter types in one submission with one
 * future. `batch {}` suspends, `submitBatch {}` returns the future, `buildBatch {}` makes a pre-built
 * batch to submit every frame without rebuilding.
 */
object BatchDsl {
    /** Two numbers in, one out. */
    private class Operands(val a: Long, val b: Long) {
        var out = 0L
    }

    /** A row to sum. */
    private class Row(val values: LongArray) {
        var sum = 0L
    }

    private val ADD = TaskFn<Operands> { it.out = it.a + it.b }
    private val MULTIPLY = TaskFn<Operands> { it.out = it.a * it.b }
    private val SUM = TaskFn<Row> { it.sum = it.values.sum() }

    /** Runs the sample on [pool]; from Java: `BatchDsl.run(pool)`. */
    @JvmStatic
    fun run(pool: ZeroPool): Unit = runBlocking {
        val add = Operands(2, 3)
        val mul = Operands(4, 5)
        val rows = List(4) { r -> Row(LongArray(10) { r * 10L + it }) }

        pool.batch {
            task(ADD, add)
            task(MULTIPLY, mul)
            tasks(SUM, rows)
        }

        val future = pool.submitBatch { task(MULTIPLY, Operands(6, 7)) }
        future.await()

        val frame = buildBatch {
            task(ADD, add)
            tasks(SUM, rows)
        }
        repeat(60) { pool.runBatch(frame) } // same tasks every frame, nothing rebuilt

        println("dsl batch: add = ${add.out}, multiply = ${mul.out}, row sums = ${rows.map { it.sum }}, frame tasks = ${frame.size()}")
    }

    @JvmStatic
    fun main(args: Array<String>) {
        ZeroPool.create().use { run(it) }
    }
}
