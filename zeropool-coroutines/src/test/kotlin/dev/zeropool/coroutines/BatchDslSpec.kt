package dev.zeropool.coroutines

import dev.zeropool.TaskBatch
import dev.zeropool.TaskFn
import dev.zeropool.ZeroPool
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.arbitrary.bind
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.checkAll
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout

/** One run of tasks with the same handle, added in one of three ways. */
private data class Segment(val op: Int, val count: Int, val form: Int)

private val OPS = listOf(ADD_ONE, DOUBLE, SQUARE)

private fun expected(op: Int, x: Long): Long = when (op) {
    0 -> x + 1
    1 -> x * 2
    else -> x * x
}

private val segments = Arb.list(Arb.bind(Arb.int(0..2), Arb.int(0..40), Arb.int(0..2), ::Segment), 0..12)

/** Adds [segment] to the batch under construction and returns its cells. */
private fun BatchScope.add(segment: Segment, base: Long): List<Cell> {
    val cells = List(segment.count) { Cell(base + it) }
    val fn: TaskFn<Cell> = OPS[segment.op]
    when (segment.form) {
        0 -> cells.forEach { task(fn, it) }
        1 -> tasks(fn, cells)
        else -> tasks(fn, cells.toTypedArray())
    }
    return cells
}

private fun check(shape: List<Segment>, cells: List<List<Cell>>, runs: Int) {
    shape.zip(cells).forEach { (segment, group) ->
        group.forEach {
            it.runs.get() shouldBe runs
            it.output shouldBe expected(segment.op, it.input)
        }
    }
}

class BatchDslSpec : FunSpec({
    timeout = 30_000

    val pool = ZeroPool.create(2)
    afterSpec { pool.close() }

    test("batch {} runs a random mixed batch as one submission, every task exactly once") {
        checkAll(80, segments) { shape ->
            lateinit var cells: List<List<Cell>>
            var size = -1
            pool.batch {
                cells = shape.mapIndexed { i, s -> add(s, i * 1_000L) }
                size = this.size
            }
            size shouldBe shape.sumOf { it.count }
            check(shape, cells, runs = 1)
        }
    }

    test("submitBatch {} returns one future for the whole mixed batch") {
        checkAll(80, segments) { shape ->
            lateinit var cells: List<List<Cell>>
            val future = pool.submitBatch { cells = shape.mapIndexed { i, s -> add(s, i * 1_000L) } }
            future.await()
            future.isDone.shouldBeTrue()
            check(shape, cells, runs = 1)
        }
    }

    test("buildBatch {} makes a pre-built batch that can be submitted again and again") {
        checkAll(40, segments, Arb.int(1..4)) { shape, times ->
            lateinit var cells: List<List<Cell>>
            val batch: TaskBatch = buildBatch { cells = shape.mapIndexed { i, s -> add(s, i * 1_000L) } }
            batch.size() shouldBe shape.sumOf { it.count }
            repeat(times) { pool.runBatch(batch) }
            check(shape, cells, runs = times)
        }
    }

    test("a pre-built batch can be part of a larger one") {
        val counter = AtomicInteger()
        val inner = buildBatch { tasks(COUNT, List(7) { counter }) }
        val cell = Cell(3)
        pool.batch {
            tasks(inner)
            task(SQUARE, cell)
            tasks(inner)
        }
        counter.get() shouldBe 14
        cell.output shouldBe 9
    }

    test("a failing task in a DSL batch surfaces as its own exception from both variants") {
        shouldThrow<TaskBoom> { pool.batch { task(THROW, TaskBoom("dsl")) } }.message shouldBe "dsl"
        val future = pool.submitBatch { task(THROW, TaskBoom("future")); tasks(COUNT, List(3) { AtomicInteger() }) }
        shouldThrow<TaskBoom> { future.await() }.message shouldBe "future"
    }

    test("cancelling batch {} while queued skips every task of it, whatever its handle") {
        ZeroPool.create(1).use { single ->
            val gate = Gate()
            single.submitTask(Gate.HOLD, gate)
            gate.awaitStarted()
            val counter = AtomicInteger()
            val cell = Cell(2)
            coroutineScope {
                val job = launch(start = CoroutineStart.UNDISPATCHED) {
                    single.batch {
                        tasks(COUNT, List(30) { counter })
                        task(SQUARE, cell)
                        task(COUNT, counter)
                    }
                }
                withTimeout(2_000) { job.cancelAndJoin() }
            }
            gate.release()
            single.drain()
            counter.get() shouldBe 0
            cell.runs.get() shouldBe 0
        }
    }

    test("a pre-built batch holds the caller's own handles") {
        val seen = mutableListOf<TaskFn<*>>()
        val batch = buildBatch { task(ADD_ONE, Cell(1)); tasks(DOUBLE, listOf(Cell(2))) }
        for (i in 0 until batch.size()) seen += batch.fn(i)
        seen shouldBe listOf(ADD_ONE, DOUBLE)
    }
    test("tasks(fn, array) copies the array's elements: replacing one later does not change the batch") {
        val first = Cell(3)
        val array = arrayOf(first, Cell(4))
        val batch = buildBatch { tasks(SQUARE, array) }
        val replacement = Cell(100)
        array[0] = replacement
        pool.runBatch(batch)
        first.output shouldBe 9
        replacement.runs.get() shouldBe 0
    }
})
