package dev.zeropool.coroutines

import dev.zeropool.ZeroPool
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.kotest.property.Arb
import io.kotest.property.arbitrary.int
import io.kotest.property.checkAll
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancel
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout

class ComputeSpec : FunSpec({
    timeout = 30_000

    val pool = ZeroPool.create(2)
    afterSpec { pool.close() }

    test("compute returns the block's value, computed on a pool worker") {
        checkAll(50, Arb.int()) { x ->
            pool.compute { x.toLong() * x } shouldBe x.toLong() * x
        }
        pool.compute { Thread.currentThread().name } shouldStartWith "zeropool-"
        pool.compute { null as String? } shouldBe null
    }

    test("many concurrent computes each get their own value") {
        val values = coroutineScope {
            List(500) { i -> async { pool.compute { i * 2 } } }.awaitAll()
        }
        values shouldBe List(500) { it * 2 }
    }

    test("compute does not block its caller's thread") {
        // One caller thread, two computes that each wait for the other's start: only a caller that
        // suspends (instead of blocking its thread) can have both in flight at once.
        withContext(Dispatchers.IO) {
            runBlocking {
                val bothStarted = java.util.concurrent.CountDownLatch(2)
                val waits = List(2) {
                    async {
                        pool.compute {
                            bothStarted.countDown()
                            bothStarted.await(5, java.util.concurrent.TimeUnit.SECONDS)
                        }
                    }
                }
                waits.awaitAll() shouldBe listOf(true, true)
            }
        }
    }

    test("the block's own exception is rethrown") {
        val boom = TaskBoom("compute says no")
        val thrown = shouldThrow<TaskBoom> { pool.compute { throw boom } }
        (thrown === boom || thrown.cause === boom).shouldBeTrue()
        val checked = java.io.IOException("checked")
        shouldThrow<java.io.IOException> { pool.compute<Unit> { throw checked } }
    }

    test("cancelling the caller while the block is queued means it never runs") {
        ZeroPool.create(1).use { single ->
            val gate = Gate()
            single.submitTask(Gate.HOLD, gate)
            gate.awaitStarted()
            val ran = AtomicBoolean()
            try {
                coroutineScope {
                    val job = launch(start = CoroutineStart.UNDISPATCHED) { single.compute { ran.set(true) } }
                    withTimeout(2_000) { job.cancelAndJoin() } // resumes at once, though the worker is held
                    job.isCancelled.shouldBeTrue()
                    gate.finished.shouldBeFalse()
                }
            } finally {
                gate.release()
            }
            single.drain()
            ran.get().shouldBeFalse()
        }
    }

    test("an already cancelled caller submits nothing") {
        val submitted = AtomicInteger()
        coroutineScope {
            val job = launch(start = CoroutineStart.UNDISPATCHED) {
                cancel()
                pool.compute { submitted.incrementAndGet() }
            }
            job.join()
            job.isCancelled.shouldBeTrue()
        }
        pool.compute { } // anything queued before has run
        submitted.get() shouldBe 0
    }

    test("compute on a shut-down pool is rejected") {
        val closed = ZeroPool.create(1)
        closed.close()
        shouldThrow<RejectedExecutionException> { closed.compute { 1 } }
    }
})
