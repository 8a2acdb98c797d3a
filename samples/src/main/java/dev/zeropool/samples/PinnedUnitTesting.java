package dev.zeropool.samples;

import dev.zeropool.pinned.ItemFn;
import dev.zeropool.pinned.PinnedPool;
import dev.zeropool.pinned.PinnedSender;
import dev.zeropool.pinned.ScriptedSender;

/**
 * Unit testing code that talks to items: the code depends on {@link PinnedSender}, so a test hands it
 * a {@link ScriptedSender} (canned replies, recorded requests, no threads) and production hands it a
 * {@link PinnedPool}.
 */
public final class PinnedUnitTesting {

  static final ItemFn<long[], Long, Long> DEPOSIT = (account, amount) -> account[0] += amount;

  /** The code under test: a bank that keeps each account on a pinned thread. */
  static final class Bank {
    private final PinnedSender<long[]> accounts;

    Bank(PinnedSender<long[]> accounts) {
      this.accounts = accounts;
    }

    long openWith(long id, long amount) {
      accounts.add(id, () -> new long[1]).join();
      return accounts.send(id, DEPOSIT, amount).join();
    }
  }

  private PinnedUnitTesting() {}

  /** Runs the same code against the scripted double and against a real pool. */
  public static void run(int threads) {
    ScriptedSender<long[]> scripted = new ScriptedSender<long[]>().reply(DEPOSIT, (id, amount) -> 999L);
    long fromScript = new Bank(scripted).openWith(7, 50);
    long fromPool;
    try (PinnedPool<long[]> pool = PinnedPool.create(threads)) {
      fromPool = new Bank(pool).openWith(7, 50);
    }
    System.out.println("pinned unit testing: scripted reply " + fromScript + " after requests "
        + scripted.requests().stream().map(r -> r.kind() + "(" + r.id() + ")").toList() + "; real pool " + fromPool);
  }

  public static void main(String[] args) {
    run(2);
  }
}
