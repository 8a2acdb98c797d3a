/**
 * Not API: the mechanisms behind {@link dev.zeropool.ZeroPool}, one per file: the lock-free queue
 * ({@code TaskQueue}, {@code QueueSegment}), workers and wake-up ({@code WorkerPool}, {@code Worker})
 * and completion counting ({@code Completion}), and fork-join: range entries claimed by index with
 * scope-restricted helping ({@code RangeEntry}) and the joins, loops and spawned tasks built on them
 * ({@code Joins}, {@code Loops}, {@code SpawnEntry}). Types here may change in any release.
 */
package dev.zeropool.internal;
