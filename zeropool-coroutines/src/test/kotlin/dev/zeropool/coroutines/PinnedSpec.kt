package dev.zeropool.coroutines

import dev.zeropool.pinned.ItemFn
import dev.zeropool.pinned.PinnedPool
import dev.zeropool.pinned.ScriptedSender
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import java.io.IOException
import java.util.NoSuchElementException
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/** A test item: a counter. */
private class Counter {
    var value = 0L
}

private val ADD = ItemFn<Counter, Long, Long> { c, by ->
    c.value += by
    c.value
}
private val GET = ItemFn<Counter, Unit?, Long> { c, _ -> c.value }

class PinnedSpec : FunSpec({
    timeout = 30_000

    test("sendAwait returns the response and suspends instead of blocking its thread") {
        PinnedPool.create<Counter>(2).use { pool ->
            Executors.newSingleThreadExecutor().asCoroutineDispatcher().use { oneThread ->
                withContext(oneThread) {
                    (0L until 20L).map { id -> async { pool.addAwait(id) { Counter() }; pool.sendAwait(id, ADD, id) } }
                        .awaitAll() shouldBe (0L until 20L).toList()
                    // many waits in flight on one thread at once: only possible if none blocks it
                    val replies = (0 until 1_000).map { async { pool.sendAwait(it % 20L, ADD, 1L) } }
                    replies.awaitAll().size shouldBe 1_000
                }
            }
            pool.sendAwait(3L, GET, null) shouldBe 3L + 50L
        }
    }

    test("failures are the handler's own exceptions, checked ones included, and the item lives on") {
        PinnedPool.create<Counter>(1).use { pool ->
            shouldThrow<NoSuchElementException> { pool.sendAwait(1L, GET, null) }
            pool.addAwait(1L) { Counter() }
            shouldThrow<IllegalStateException> { pool.addAwait(1L) { Counter() } }
            val e = shouldThrow<IOException> {
                pool.sendAwait(1L, ItemFn<Counter, Unit?, Long> { c, _ -> c.value = 9; throw IOException("disk") }, null)
            }
            (e.message ?: e.cause?.message) shouldBe "disk"
            pool.sendAwait(1L, GET, null) shouldBe 9L
            pool.removeAwait(1L).shouldBeTrue()
            pool.removeAwait(1L).shouldBeFalse()
        }
    }

    test("cancelling the caller skips a message that has not started and never splits one that has") {
        PinnedPool.create<Counter>(1).use { pool ->
            pool.addAwait(1L) { Counter() }
            val blocked = CountDownLatch(1)
            val release = CountDownLatch(1)
            val blocker = ItemFn<Counter, Unit?, Long> { c, _ ->
                blocked.countDown()
                release.await(20, TimeUnit.SECONDS)
                c.value += 1
                c.value
            }
            try {
                runBlocking {
                    val running = launch(start = CoroutineStart.UNDISPATCHED) { pool.sendAwait(1L, blocker, null) }
                    blocked.await(20, TimeUnit.SECONDS).shouldBeTrue()
                    val queued = launch(start = CoroutineStart.UNDISPATCHED) { pool.sendAwait(1L, ADD, 100L) }
                    queued.cancelAndJoin()
                    running.cancelAndJoin() // the running message is not interrupted
                }
            } finally {
                release.countDown()
            }
            pool.sendAwait(1L, GET, null) shouldBe 1L // the blocker ran whole; the cancelled ADD never ran
        }
    }

    test("works against the scripted test double") {
        val sender = ScriptedSender<Counter>().reply(ADD) { id, by -> id + by }
        sender.sendAwait(40L, ADD, 2L) shouldBe 42L
        sender.requests().single().kind shouldBe ScriptedSender.Kind.SEND
    }
})
