package dev.zeropool.samples

import dev.zeropool.coroutines.addAwait
import dev.zeropool.coroutines.removeAwait
import dev.zeropool.coroutines.sendAwait
import dev.zeropool.pinned.ItemFn
import dev.zeropool.pinned.PinnedPool
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking

/**
 * Pinned items from Kotlin: `sendAwait` suspends (never blocks) until an item's reply, and a sealed
 * type of commands with one `when` handler reads better than one static handle per message kind.
 */
object PinnedItems {
    /** A game entity: plain mutable state, touched only by its pinned thread. */
    private class Entity {
        var x = 0
        var y = 0
        var hp = 100
    }

    /** Every command an entity understands; the reply is a short status line. */
    private sealed interface Command {
        data class Move(val dx: Int, val dy: Int) : Command
        data class Hit(val damage: Int) : Command
        data object Status : Command
    }

    /** One static handle for all commands: the `when` is exhaustive over the sealed type. */
    private val HANDLE = ItemFn<Entity, Command, String> { e, command ->
        when (command) {
            is Command.Move -> { e.x += command.dx; e.y += command.dy }
            is Command.Hit -> e.hp = maxOf(0, e.hp - command.damage)
            Command.Status -> Unit
        }
        "(${e.x},${e.y}) hp=${e.hp}"
    }

    /** Runs the sample on a pool of [threads] pinned threads; from Java: `PinnedItems.run(2)`. */
    @JvmStatic
    fun run(threads: Int): Unit = PinnedPool.create<Entity>(threads).use { world ->
        runBlocking {
            (1L..4L).forEach { id -> world.addAwait(id) { Entity() } }
            // Commands for different entities run in parallel; each entity sees its own in order.
            val moves = (1L..4L).map { id ->
                async {
                    repeat(10) { world.sendAwait(id, HANDLE, Command.Move(1, 2)) }
                    world.sendAwait(id, HANDLE, Command.Hit(damage = 7 * id.toInt()))
                }
            }
            moves.awaitAll()
            val status = world.sendAwait(3L, HANDLE, Command.Status)
            val removed = world.removeAwait(4L)
            println("pinned items (Kotlin): entity 3 is at $status; entity 4 removed = $removed")
        }
    }

    @JvmStatic
    fun main(args: Array<String>) {
        run(2)
    }
}
