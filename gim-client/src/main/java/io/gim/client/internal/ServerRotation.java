package io.gim.client.internal;

/**
 * Which server of a client's list the next connection attempt goes to: round robin from a start
 * chosen by the caller (at random, to spread clients over the nodes), counting how many servers
 * failed in a row so that the caller backs off only after a whole round failed. A dead node then
 * costs one quick attempt, not a backoff. Not thread-safe: confined to the client's event loop.
 */
final class ServerRotation {

  private final int size;
  private int current;
  private int failedInRound;
  private int failedRounds;

  ServerRotation(int size, int start) {
    if (size < 1 || start < 0 || start >= size) {
      throw new IllegalArgumentException("size " + size + ", start " + start);
    }
    this.size = size;
    this.current = start;
  }

  /** The index of the server the next (or the running) attempt goes to. */
  int current() {
    return current;
  }

  /** A new {@code connect()}: a fresh round from the current server, no backoff owed. */
  void restart() {
    failedInRound = 0;
    failedRounds = 0;
  }

  /** The client signed in and synced on the current server: the next failure starts a new round. */
  void established() {
    restart();
  }

  /**
   * The attempt on the current server failed, or its established connection was lost: moves to the
   * next server.
   *
   * @return whether every server has now failed once since the round began; the next round begins
   */
  boolean failed() {
    current = (current + 1) % size;
    if (++failedInRound < size) {
      return false;
    }
    failedInRound = 0;
    failedRounds++;
    return true;
  }

  /** How many whole rounds failed since the last {@link #restart()} or {@link #established()}. */
  int failedRounds() {
    return failedRounds;
  }
}
