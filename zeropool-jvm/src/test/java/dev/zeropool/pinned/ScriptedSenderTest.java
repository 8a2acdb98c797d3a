package dev.zeropool.pinned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeropool.pinned.ScriptedSender.Kind;
import dev.zeropool.pinned.ScriptedSender.Request;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Code that talks to items, unit tested with {@link ScriptedSender} instead of threads. */
class ScriptedSenderTest {

  static final ItemFn<long[], Long, Long> DEPOSIT = (account, amount) -> account[0] += amount;
  static final ItemFn<long[], Void, Long> BALANCE = (account, unused) -> account[0];

  /** The code under test: it only knows the sending side. */
  static final class Bank {
    private final PinnedSender<long[]> accounts;

    Bank(PinnedSender<long[]> accounts) {
      this.accounts = accounts;
    }

    long open(long id, long firstDeposit) {
      accounts.add(id, () -> new long[1]).join();
      return accounts.send(id, DEPOSIT, firstDeposit).join();
    }

    void close(long id) {
      accounts.post(id, DEPOSIT, 0L);
      accounts.remove(id).join();
    }
  }

  @Test
  void recordsRequestsAndAnswersWithScriptedReplies() {
    ScriptedSender<long[]> sender = new ScriptedSender<long[]>().reply(DEPOSIT, (id, amount) -> id * 1000 + amount);
    Bank bank = new Bank(sender);
    assertEquals(7_050L, bank.open(7, 50L));
    bank.close(7);
    assertEquals(List.of(
        new Request(Kind.ADD, 7, null, null),
        new Request(Kind.SEND, 7, DEPOSIT, 50L),
        new Request(Kind.POST, 7, DEPOSIT, 0L),
        new Request(Kind.REMOVE, 7, null, null)), sender.requests());
  }

  @Test
  void sendAllSendsEachRequestInOrderAndReturnsTheRepliesInRequestOrder() {
    ScriptedSender<long[]> sender = new ScriptedSender<long[]>().reply(DEPOSIT, (id, amount) -> id * 1000 + amount);
    List<CompletableFuture<Long>> replies = sender.sendAll(new long[] {3, 1, 2}, DEPOSIT, List.of(30L, 10L, 20L));
    assertEquals(List.of(3_030L, 1_010L, 2_020L), replies.stream().map(CompletableFuture::join).toList());
    assertEquals(List.of(
        new Request(Kind.SEND, 3, DEPOSIT, 30L),
        new Request(Kind.SEND, 1, DEPOSIT, 10L),
        new Request(Kind.SEND, 2, DEPOSIT, 20L)), sender.requests());
    assertEquals("ids", assertThrows(NullPointerException.class, () -> sender.sendAll(null, DEPOSIT, List.of())).getMessage());
    assertEquals("fn", assertThrows(NullPointerException.class, () -> sender.sendAll(new long[0], null, List.of())).getMessage());
    assertEquals("params", assertThrows(NullPointerException.class, () -> sender.sendAll(new long[0], DEPOSIT, null)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> sender.sendAll(new long[2], DEPOSIT, List.of(1L)));
    assertEquals(3, sender.requests().size(), "a refused batch sends nothing");
  }

  @Test
  void anUnscriptedHandlerOrAThrowingReplyFailsTheFuture() {
    ScriptedSender<long[]> sender = new ScriptedSender<>();
    CompletionException none = assertThrows(CompletionException.class, () -> sender.send(1, BALANCE, null).join());
    assertInstanceOf(IllegalStateException.class, none.getCause());
    sender.reply(BALANCE, (id, unused) -> {
      throw new ArithmeticException("scripted failure");
    });
    CompletionException thrown = assertThrows(CompletionException.class, () -> sender.send(1, BALANCE, null).join());
    assertInstanceOf(ArithmeticException.class, thrown.getCause());
    assertEquals(2, sender.requests().size());
    assertTrue(sender.remove(1).join());
    assertThrows(NullPointerException.class, () -> sender.send(1, null, null));
  }
}
