package io.kotest.provided

import io.kotest.core.config.AbstractProjectConfig
import io.kotest.core.extensions.Extension
import io.kotest.core.listeners.AfterTestListener
import io.kotest.core.test.TestCase
import io.kotest.engine.test.TestResult
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * Project-wide Kotest settings of zeropool-coroutines (found by Kotest under this default name): no spec
 * can hang CI.
 *
 * - Every test and the whole run have a timeout, also for specs that set none themselves.
 * - A test that fails by timing out prints the stacks of all threads, so the log shows where the pool's
 *   workers and the waiters were.
 * - A coroutine timeout cannot cut short a thread that blocks (a deadlocked `join()` or `close()`): a
 *   watchdog prints the stacks of all threads shortly before Surefire's fork timeout (240 s, see the pom)
 *   ends the test JVM, so that hang too leaves a thread dump in the log.
 */
class ProjectConfig : AbstractProjectConfig() {
    override val timeout: Duration = 60.seconds
    override val invocationTimeout: Duration = 60.seconds
    override val projectTimeout: Duration = 200.seconds

    override val extensions: List<Extension> = listOf(object : AfterTestListener {
        override suspend fun afterTest(testCase: TestCase, result: TestResult) {
            val error = result.errorOrNull
            if (error != null && generateSequence(error) { it.cause }.any { "Timeout" in it.javaClass.simpleName }) {
                printThreadDump("${testCase.name.name} timed out")
            }
        }
    })

    private val watchdog = Thread({
        try {
            Thread.sleep(WATCHDOG_MILLIS)
            printThreadDump("the Kotest run is still going after ${WATCHDOG_MILLIS / 1000} s")
        } catch (_: InterruptedException) {
            // the run ended in time
        }
    }, "kotest-hang-watchdog").apply { isDaemon = true }

    override suspend fun beforeProject() = watchdog.start()

    override suspend fun afterProject() = watchdog.interrupt()

    private companion object {
        const val WATCHDOG_MILLIS = 220_000L

        fun printThreadDump(why: String) {
            val dump = StringBuilder("Thread dump: $why\n")
            for ((thread, frames) in Thread.getAllStackTraces()) {
                dump.append('"').append(thread.name).append("\" ").append(thread.state).append('\n')
                frames.forEach { dump.append("\tat ").append(it).append('\n') }
                dump.append('\n')
            }
            System.err.print(dump)
        }
    }
}
