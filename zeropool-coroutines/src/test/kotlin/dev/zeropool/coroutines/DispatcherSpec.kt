package dev.zeropool.coroutines

import dev.zeropool.ZeroPool
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.longs.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldNotStartWith
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import java.util.concurrent.CountDownLatch
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong
import kotlin.coroutines.EmptyCoroutineContext
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.isActive
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield
import kotlinx.coroutines.asCoroutineDispatcher as asKotlinxDispatcher

private val DISPATCHES: Int = System.getProperty("zeropool.coroutines.dispatches", "1000000").toInt()

private fun onPoolWorker(): Boolean = Thread.currentThread().name.startsWith("zeropool-")

class DispatcherSpec : FunSpec({
    timeout = 30_000

    val pool = ZeroPool.create(2)
    val dispatcher = pool.asCoroutineDispatcher()
    afterSpec { pool.close() }

    test("a million direct dispatches all run, each exactly once") {
        val ran = AtomicLong()
        val allRan = CountDownLatch(1)
        val block = Runnable { if (ran.incrementAndGet() == DISPATCHES.toLong()) allRan.countDown() }
        val producers = List(2) { p ->
            Thread {
                val share = DISPATCHES / 2 + if (p == 0) DISPATCHES % 2 else 0
                repeat(share) { dispatcher.dispatch(EmptyCoroutineContext, block) }
            }.apply { start() }
        }
        producers.forEach { it.join() }
        allRan.await(20, TimeUnit.SECONDS).shouldBeTrue()
        pool.drain()
        ran.get() shouldBe DISPATCHES.toLong()
    }

    test("a million coroutine dispatches through yield() lose nothing") {
        val coroutines = 1_000
        val yieldsEach = DISPATCHES / coroutines
        val steps = AtomicLong()
        withContext(dispatcher) {
            List(coroutines) {
                launch {
                    repeat(yieldsEach) {
                        steps.incrementAndGet()
                        yield()
                    }
                }
            }.joinAll()
        }
        steps.get() shouldBe coroutines.toLong() * yieldsEach
    }

    test("dispatch never runs the block in place") {
        ZeroPool.create(1).use { single ->
            val only = single.asCoroutineDispatcher()
            withContext(only) {
                val ran = AtomicBoolean()
                only.isDispatchNeeded(coroutineContext).shouldBeTrue()
                only.dispatch(coroutineContext, Runnable { ran.set(true) })
                ran.get().shouldBeFalse() // we are the only worker, so it cannot have run yet
                yield() // behind the block in the FIFO queue
                ran.get().shouldBeTrue()
            }
        }
    }

    test("yield() on a one-worker pool lets coroutines take strict turns") {
        ZeroPool.create(1).use { single ->
            val order = StringBuffer()
            withContext(single.asCoroutineDispatcher()) {
                for (name in "ABC") {
                    launch {
                        repeat(100) {
                            order.append(name)
                            yield()
                        }
                    }
                }
            }
            // Launches from a worker go to its run-next slot, so the first turn may start with any of
            // them; after that every coroutine gets exactly one turn per round.
            val turns = order.toString()
            turns.length shouldBe 300
            turns.chunked(3).forEach { round -> round.toList().sorted().joinToString("") shouldBe "ABC" }
            turns.chunked(3).distinct().size shouldBe 1
        }
    }

    test("yield() on limitedParallelism(1) alternates between its coroutines") {
        val view = dispatcher.limitedParallelism(1)
        val order = StringBuffer()
        withContext(view) {
            for (name in "AB") {
                launch {
                    repeat(500) {
                        order.append(name)
                        yield()
                    }
                }
            }
        }
        order.toString() shouldBe "AB".repeat(500)
    }

    test("limitedParallelism(n) runs at most n coroutines at once, on pool workers") {
        ZeroPool.create(3).use { three ->
            val view = three.asCoroutineDispatcher().limitedParallelism(2)
            val running = java.util.concurrent.atomic.AtomicInteger()
            val most = java.util.concurrent.atomic.AtomicInteger()
            withContext(view) {
                repeat(50) {
                    launch {
                        onPoolWorker().shouldBeTrue()
                        val now = running.incrementAndGet()
                        most.accumulateAndGet(now, ::maxOf)
                        Thread.sleep(1)
                        running.decrementAndGet()
                    }
                }
            }
            most.get() shouldBeLessThanOrEqual 2 // reaching 2 depends on timing; exceeding it is a bug
        }
    }

    test("a coroutine yielding forever on limitedParallelism(1) does not starve the pool") {
        ZeroPool.create(1).use { single ->
            val only = single.asCoroutineDispatcher()
            coroutineScope {
                val spinner = launch(only.limitedParallelism(1)) {
                    while (isActive) yield()
                }
                withTimeout(5_000) { withContext(only) { onPoolWorker().shouldBeTrue() } }
                spinner.cancelAndJoin()
            }
        }
    }

    test("a failing child cancels its siblings and the failure reaches the scope") {
        val siblingCancelled = CompletableDeferred<Boolean>()
        val failure = shouldThrow<TaskBoom> {
            withContext(dispatcher) {
                launch {
                    try {
                        awaitCancellation()
                    } finally {
                        siblingCancelled.complete(true)
                    }
                }
                launch {
                    delay(10)
                    throw TaskBoom("child failed")
                }
            }
        }
        failure.message shouldBe "child failed"
        siblingCancelled.await().shouldBeTrue()
    }

    test("delay() resumes on a pool worker after the delay") {
        withContext(dispatcher) {
            val start = System.nanoTime()
            delay(50)
            onPoolWorker().shouldBeTrue()
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) shouldBeGreaterThanOrEqual 50
        }
    }

    test("withTimeout cancels a coroutine on the pool, including one awaiting pool work") {
        withContext(dispatcher) {
            shouldThrow<TimeoutCancellationException> { withTimeout(30) { awaitCancellation() } }
            withTimeoutOrNull(30) { delay(10_000) } shouldBe null
            onPoolWorker().shouldBeTrue()
        }
        val gate = Gate()
        shouldThrow<TimeoutCancellationException> { withTimeout(50) { pool.runTask(Gate.HOLD, gate) } }
        gate.finished.shouldBeFalse()
        gate.release()
        gate.awaitFinished().shouldBeTrue()
    }

    test("cancelling a coroutine while it is queued means its body never runs") {
        ZeroPool.create(1).use { single ->
            val gate = Gate()
            single.submitTask(Gate.HOLD, gate)
            gate.awaitStarted()
            val ran = AtomicBoolean()
            coroutineScope {
                val job = launch(single.asCoroutineDispatcher()) { ran.set(true) }
                job.cancel()
                gate.release()
                job.join()
                job.isCancelled.shouldBeTrue()
            }
            ran.get().shouldBeFalse()
        }
    }

    test("cancelling a running coroutine stops it at its next suspension or check") {
        val started = CompletableDeferred<Unit>()
        val stoppedOnWorker = CompletableDeferred<Boolean>()
        coroutineScope {
            val job = launch(dispatcher) {
                started.complete(Unit)
                try {
                    while (true) ensureActive()
                } finally {
                    stoppedOnWorker.complete(onPoolWorker())
                }
            }
            started.await()
            withTimeout(2_000) { job.cancelAndJoin() }
        }
        stoppedOnWorker.await().shouldBeTrue()
    }

    test("after shutdown a dispatch cancels the job with the rejection as cause and finishes on Dispatchers.IO") {
        val closing = ZeroPool.create(1)
        val onClosing = closing.asCoroutineDispatcher()
        val resumed = CompletableDeferred<Unit>()
        val finallyThread = CompletableDeferred<String>()
        val cause = CompletableDeferred<Throwable?>()
        coroutineScope {
            val job = launch(onClosing) {
                try {
                    resumed.complete(Unit)
                    delay(100)
                } finally {
                    finallyThread.complete(Thread.currentThread().name)
                }
            }
            job.invokeOnCompletion { cause.complete(it) }
            resumed.await()
            closing.shutdown()
            job.join()
            job.isCancelled.shouldBeTrue()
        }
        finallyThread.await() shouldNotStartWith "zeropool-"
        cause.await().shouldBeInstanceOf<CancellationException>().cause.shouldBeInstanceOf<RejectedExecutionException>()

        val lateCause = CompletableDeferred<Throwable?>()
        val ranLate = AtomicBoolean()
        coroutineScope {
            val late = launch(onClosing) { ranLate.set(true) }
            late.invokeOnCompletion { lateCause.complete(it) }
            late.join()
        }
        ranLate.get().shouldBeFalse()
        lateCause.await()!!.cause.shouldBeInstanceOf<RejectedExecutionException>()
    }

    test("zeroPoolDispatcher owns its pool, asCoroutineDispatcher only borrows it") {
        val owning = zeroPoolDispatcher(2)
        val owned = owning.executor as ZeroPool
        withContext(owning) { Thread.currentThread().name shouldStartWith "zeropool-" }
        owning.close()
        owned.isShutdown.shouldBeTrue()
        owned.awaitTermination(5, TimeUnit.SECONDS).shouldBeTrue()

        val borrowed = pool.asCoroutineDispatcher()
        borrowed.close()
        pool.isShutdown.shouldBeFalse()
        withContext(borrowed) { onPoolWorker().shouldBeTrue() }
    }

    test("dispatchers over the same pool are equal, over different pools are not") {
        pool.asCoroutineDispatcher() shouldBe pool.asCoroutineDispatcher()
        pool.asCoroutineDispatcher().hashCode() shouldBe dispatcher.hashCode()
        ZeroPool.create(1).use { other -> other.asCoroutineDispatcher() shouldNotBe dispatcher }
    }

    test("withContext comes back to a pool worker after switching to another dispatcher") {
        withContext(dispatcher) {
            val name = withContext(Dispatchers.IO) { Thread.currentThread().name }
            name shouldNotStartWith "zeropool-"
            onPoolWorker().shouldBeTrue()
        }
    }
    test("zeroPoolDispatcher { } configures its own pool through the builder") {
        val names = java.util.concurrent.ConcurrentHashMap.newKeySet<String>()
        val configured = zeroPoolDispatcher {
            workers(3)
            threadNamePrefix("configured-")
            spinWindow(java.time.Duration.ZERO)
        }
        configured.use { d ->
            val owned = d.executor as ZeroPool
            owned.workerCount() shouldBe 3
            withContext(d) {
                List(30) { launch { names += Thread.currentThread().name; delay(1) } }.joinAll()
            }
            names.forEach { it shouldStartWith "configured-" }
        }
        (configured.executor as ZeroPool).isShutdown.shouldBeTrue()
        shouldThrow<IllegalArgumentException> { zeroPoolDispatcher { workers(0) } }
    }

    test("toString says the dispatcher is ZeroPool's, unlike kotlinx's executor dispatcher over the same pool") {
        dispatcher.toString() shouldStartWith "ZeroPoolDispatcher[dev.zeropool.ZeroPool@"
        zeroPoolDispatcher(1).use { it.toString() shouldStartWith "ZeroPoolDispatcher[" }
        // The wrong import: kotlinx's extension on ExecutorService. Only its toString tells them apart.
        val kotlinxOne = (pool as java.util.concurrent.ExecutorService).asKotlinxDispatcher()
        kotlinxOne.toString() shouldNotStartWith "ZeroPoolDispatcher"
        kotlinxOne shouldNotBe dispatcher
    }
})
