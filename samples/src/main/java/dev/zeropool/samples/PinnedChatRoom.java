package dev.zeropool.samples;

import dev.zeropool.pinned.ItemFn;
import dev.zeropool.pinned.PinnedPool;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * messaging_thread_pool's chat-room example: each room is an item holding plain collections (no
 * locks); people join, post and read the history by sending messages to the room's id, from any thread.
 */
public final class PinnedChatRoom {

  /** A room: who is in it and what was said. */
  static final class Room {
    final Set<String> members = new LinkedHashSet<>();
    final List<String> history = new ArrayList<>();
  }

  /** A line posted by someone. */
  record Line(String who, String text) {}

  static final ItemFn<Room, String, Integer> JOIN = (room, who) -> {
    room.members.add(who);
    return room.members.size();
  };

  static final ItemFn<Room, Line, Integer> POST = (room, line) -> {
    if (!room.members.contains(line.who())) {
      throw new IllegalArgumentException(line.who() + " is not in the room");
    }
    room.history.add(line.who() + ": " + line.text());
    return room.history.size();
  };

  static final ItemFn<Room, Void, List<String>> HISTORY = (room, unused) -> List.copyOf(room.history);

  private PinnedChatRoom() {}

  /** Runs the sample on a pool of {@code threads} pinned threads. */
  public static void run(int threads) throws InterruptedException {
    try (PinnedPool<Room> rooms = PinnedPool.<Room>builder().threads(threads).threadNamePrefix("chat-").build()) {
      long lobby = 1;
      rooms.add(lobby, Room::new);
      List<Thread> people = new ArrayList<>();
      for (String who : List.of("ada", "bob", "cy")) {
        people.add(new Thread(() -> {
          rooms.send(lobby, JOIN, who);
          for (int i = 0; i < 3; i++) {
            rooms.send(lobby, POST, new Line(who, "message " + i)); // in order per person
          }
        }));
      }
      people.forEach(Thread::start);
      for (Thread t : people) {
        t.join();
      }
      String refused = rooms.send(lobby, POST, new Line("eve", "hi")).handle((n, e) -> e.getMessage()).join();
      List<String> history = rooms.send(lobby, HISTORY, null).join();
      System.out.println("pinned chat room: " + history.size() + " lines, e.g. '" + history.get(0)
          + "'; an outsider's post: " + refused);
    }
  }

  public static void main(String[] args) throws InterruptedException {
    run(2);
  }
}
