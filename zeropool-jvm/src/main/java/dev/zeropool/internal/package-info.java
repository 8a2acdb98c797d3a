/**
 * Not API: the mechanisms behind {@link dev.zeropool.ZeroPool}, one per file: the lock-free queue
 * ({@code TaskQueue}, {@code QueueSegment}), workers and wake-up ({@code WorkerPool}, {@code Worker})
 * and completion counting ({@code Completion}). Types here may change in any release.
 */
package dev.zeropool.internal;
