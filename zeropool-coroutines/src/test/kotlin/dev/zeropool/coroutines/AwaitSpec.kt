package dev.zeropool.coroutines

import dev.zeropool.TaskFn
import dev.zeropool.ZeroPool
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.property.Arb
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout

/** Thrown exceptions must be the task's own, or (stack-trace recovery) a copy caused by it. */
private fun Throwable.isOrWraps(original: Throwable): Boolean = this === original || cause === original

class AwaitSpec : FunSpec({
    timeout = 30_000

    val pool = ZeroPool.create(2)
    afterSpec { pool.close() }

    test("runBatch returns after every task ran, with every result visible") {
        checkAll(60, Arb.list(Arb.long(-1_000_000L..1_000_000L), 0..300)) { inputs ->
            val cells = inputs.map(::Cell)
            pool.runBatch(SQUARE, cells)
            cells.forEach {
                it.runs.get() shouldBe 1
                it.output shouldBe it.input * it.input
            }
            val array = inputs.map(::Cell).toTypedArray()
            pool.runBatch(DOUBLE, array)
            array.forEach { it.output shouldBe it.input * 2 }
        }
    }

    test("runTask and TaskFuture.await see the task's writes") {
        val cell = Cell(21)
        pool.runTask(DOUBLE, cell)
        cell.output shouldBe 42
        val other = Cell(5)
        pool.submitTask(SQUARE, other).await()
        other.output shouldBe 25
    }

    test("a task failure is rethrown as the task's own exception, not the CompletionException") {
        val boom = TaskBoom("task says no")
        val fromRun = shouldThrow<TaskBoom> { pool.runTask(THROW, boom) }
        fromRun.isOrWraps(boom).shouldBeTrue()
        fromRun.message shouldBe "task says no"

        val checked = java.io.IOException("disk")
        shouldThrow<java.io.IOException> { pool.submitTask(THROW, checked).await() }.isOrWraps(checked).shouldBeTrue()

        // An Error keeps its type too; the pool's failure handler hears of each failure with the caller's own
        // handle (TaskFn lambdas compare by identity).
        val handled = java.util.concurrent.LinkedBlockingQueue<Pair<TaskFn<*>, String?>>()
        ZeroPool.builder().workers(1).failureHandler { fn, _, e -> handled.add(fn to e.message) }.build().use { p ->
            val error = StackOverflowError("deep")
            shouldThrow<StackOverflowError> { p.runBatch(THROW, listOf<Throwable>(error)) }.isOrWraps(error).shouldBeTrue()
            shouldThrow<TaskBoom> { p.runTask(THROW, TaskBoom("single")) }
            shouldThrow<TaskBoom> { p.batch { task(THROW, TaskBoom("mixed")) } }
            List(3) { handled.poll(5, TimeUnit.SECONDS) } shouldBe
                listOf(THROW to "deep", THROW to "single", THROW to "mixed")
        }

        // An already completed future takes the non-suspending path: same rule.
        val done = pool.submitTask(THROW, IllegalStateException("early"))
        runCatching { done.join() } // wait, so that await() below finds the future done
        done.isDone.shouldBeTrue()
        shouldThrow<IllegalStateException> { done.await() }.message shouldBe "early"
    }

    test("the first failure of a batch is rethrown and the other tasks still run") {
        val counter = AtomicInteger()
        val failure = shouldThrow<TaskBoom> {
            pool.batch {
                tasks(COUNT, List(50) { counter })
                task(THROW, TaskBoom("one of many"))
                tasks(COUNT, List(50) { counter })
            }
        }
        failure.message shouldBe "one of many"
        counter.get() shouldBe 100
    }

    test("await from a single-threaded runBlocking caller does not deadlock") {
        withContext(kotlinx.coroutines.Dispatchers.IO) {
            runBlocking {
                repeat(2_000) { i ->
                    val cell = Cell(i.toLong())
                    pool.runTask(ADD_ONE, cell)
                    cell.output shouldBe i + 1L
                }
            }
        }
    }

    test("a coroutine on the pool's only worker can await work on that same pool") {
        ZeroPool.create(1).use { single ->
            val dispatcher = single.asCoroutineDispatcher()
            withContext(dispatcher) {
                repeat(200) {
                    val cells = List(10) { Cell(it.toLong()) }
                    single.runBatch(ADD_ONE, cells)
                    cells.forEach { it.output shouldBe it.input + 1 }
                }
            }
        }
    }

    test("cancelling while queued resumes at once and the queued tasks are skipped") {
        ZeroPool.create(1).use { single ->
            val gate = Gate()
            single.submitTask(Gate.HOLD, gate)
            gate.awaitStarted()
            val counter = AtomicInteger()
            coroutineScope {
                val waiter = launch(start = CoroutineStart.UNDISPATCHED) {
                    single.runBatch(COUNT, List(100) { counter })
                }
                val single2 = launch(start = CoroutineStart.UNDISPATCHED) {
                    single.runTask(COUNT, counter)
                }
                val mixed = launch(start = CoroutineStart.UNDISPATCHED) {
                    single.batch { tasks(COUNT, Array(10) { counter }); task(COUNT, counter) }
                }
                withTimeout(2_000) { listOf(waiter, single2, mixed).forEach { it.cancelAndJoin() } }
                listOf(waiter, single2, mixed).forEach { it.isCancelled.shouldBeTrue() }
                gate.finished.shouldBeFalse() // resumed while the worker was still held
            }
            gate.release()
            single.drain()
            counter.get() shouldBe 0
        }
    }

    test("cancelling while running resumes at once and the running task finishes") {
        val gate = Gate()
        coroutineScope {
            val waiter = async(start = CoroutineStart.UNDISPATCHED) { pool.runTask(Gate.HOLD, gate) }
            gate.awaitStarted()
            withTimeout(2_000) { waiter.cancelAndJoin() }
            shouldThrow<CancellationException> { waiter.await() }
            gate.finished.shouldBeFalse()
        }
        gate.release()
        gate.awaitFinished().shouldBeTrue()
    }

    test("cancelling TaskFuture.await skips the queued tasks and cancels the submission for every waiter") {
        ZeroPool.create(1).use { single ->
            val gate = Gate()
            single.submitTask(Gate.HOLD, gate)
            gate.awaitStarted()
            val counter = AtomicInteger()
            val future = single.submitBatch(COUNT, List(20) { counter })
            coroutineScope {
                val cancelled = launch(start = CoroutineStart.UNDISPATCHED) { future.await() }
                val other = async(start = CoroutineStart.UNDISPATCHED) { runCatching { future.await() } }
                withTimeout(2_000) { cancelled.cancelAndJoin() }
                cancelled.isCancelled.shouldBeTrue()
                future.isDone.shouldBeFalse() // the worker is still held: nothing was skipped yet
                gate.release()
                other.await().exceptionOrNull().shouldBeInstanceOf<java.util.concurrent.CancellationException>()
            }
            shouldThrow<java.util.concurrent.CancellationException> { future.join() } // as CompletableFuture.join
            single.drain()
            counter.get() shouldBe 0
        }
    }

    test("cancelling runBatch of a pre-built batch skips its queued tasks, and the batch can run again") {
        ZeroPool.create(1).use { single ->
            val gate = Gate()
            single.submitTask(Gate.HOLD, gate)
            gate.awaitStarted()
            val counter = AtomicInteger()
            val cell = Cell(4)
            val prebuilt = buildBatch { tasks(COUNT, List(5) { counter }); task(SQUARE, cell) }
            coroutineScope {
                val job = launch(start = CoroutineStart.UNDISPATCHED) { single.runBatch(prebuilt) }
                withTimeout(2_000) { job.cancelAndJoin() }
                job.isCancelled.shouldBeTrue()
            }
            gate.release()
            single.drain()
            counter.get() shouldBe 0
            cell.runs.get() shouldBe 0

            single.runBatch(prebuilt) // only that submission was cancelled
            counter.get() shouldBe 5
            cell.output shouldBe 16
        }
    }

    test("an already cancelled coroutine submits nothing") {
        val counter = AtomicInteger()
        coroutineScope {
            val job = launch(start = CoroutineStart.UNDISPATCHED) {
                coroutineContext[Job]!!.cancel()
                pool.runTask(COUNT, counter)
                counter.incrementAndGet() // not reached
            }
            job.join()
            job.isCancelled.shouldBeTrue()
        }
        pool.drain()
        counter.get() shouldBe 0
    }

    test("a failing submission cancels its siblings and the scope rethrows the task's exception") {
        val gate = Gate()
        val sibling = CompletableJobProbe()
        val failure = shouldThrow<TaskBoom> {
            coroutineScope {
                launch(start = CoroutineStart.UNDISPATCHED) {
                    try {
                        pool.runTask(Gate.HOLD, gate)
                    } finally {
                        sibling.finishedWith = gate.finished
                    }
                }
                launch(start = CoroutineStart.UNDISPATCHED) { awaitCancellation() }
                gate.awaitStarted()
                pool.runTask(THROW, TaskBoom("structured"))
            }
        }
        failure.message shouldBe "structured"
        sibling.finishedWith shouldBe false // cancelled while its task was still running
        gate.release()
    }

    test("an empty batch completes without suspending") {
        pool.runBatch(COUNT, emptyList())
        pool.runBatch(COUNT, emptyArray())
        pool.batch { }
    }

    test("submitting to a shut-down pool fails with RejectedExecutionException") {
        val closed = ZeroPool.create(1)
        closed.close()
        shouldThrow<RejectedExecutionException> { closed.runTask(COUNT, AtomicInteger()) }
            .message shouldContain "shut down"
        shouldThrow<RejectedExecutionException> { closed.batch { task(COUNT, AtomicInteger()) } }
    }

    test("tasks taken back by shutdownNow fail the awaiting coroutine with a CancellationException") {
        val doomed = ZeroPool.create(1)
        val gate = Gate()
        doomed.submitTask(Gate.HOLD, gate)
        gate.awaitStarted()
        val counter = AtomicInteger()
        val queued = doomed.submitBatch(COUNT, List(3) { counter })
        doomed.shutdownNow().size shouldBe 3
        shouldThrow<java.util.concurrent.CancellationException> { queued.await() }
            .shouldBeInstanceOf<CancellationException>()
        gate.release()
        doomed.awaitTermination(5, TimeUnit.SECONDS).shouldBeTrue()
    }

    test("use {} closes the pool after the block and waits for its work") {
        val counter = AtomicInteger()
        val used = ZeroPool.create(2)
        val result = used.use {
            it.submitBatch(COUNT, List(1_000) { counter })
            "value"
        }
        result shouldBe "value"
        used.isTerminated.shouldBeTrue()
        counter.get() shouldBe 1_000

        val failing = ZeroPool.create(1)
        shouldThrow<TaskBoom> { failing.use { throw TaskBoom("in use") } }
        failing.isTerminated.shouldBeTrue()
    }

    test("random batch sizes complete with every task run exactly once") {
        checkAll(40, Arb.int(0..2_000), Arb.int(1..3)) { size, workers ->
            ZeroPool.create(workers).use { p ->
                val cells = List(size) { Cell(it.toLong()) }
                p.runBatch(ADD_ONE, cells)
                cells.all { it.runs.get() == 1 && it.output == it.input + 1 }.shouldBeTrue()
            }
        }
    }
})

/** Written by a coroutine's finally block, read after the scope completed. */
private class CompletableJobProbe {
    @Volatile var finishedWith: Boolean? = null
}
