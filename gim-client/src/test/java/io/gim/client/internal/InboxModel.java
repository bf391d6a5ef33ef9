package io.gim.client.internal;

import io.gim.protocol.Message;
import io.gim.protocol.MessageCommand;
import io.gim.protocol.SyncReply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A model of one user's server inbox as PROTOCOL.md describes it: seqs strictly increasing with
 * gaps, sync pages with exact {@code has_more} and {@code start_seq}, acks that never move back,
 * and epochs (a store that lost its seq state re-numbers some old messages from 1 and forgets the
 * rest). Not thread-safe; one per test run.
 */
final class InboxModel {

  private final SplittableRandom random;
  private final Map<Long, List<Message>> epochs = new HashMap<>();
  private final Map<Long, Long> floors = new HashMap<>();
  private long epoch = 1;
  private long nextSeq = 1;
  private long nextId = 1;
  private long largestAck;

  InboxModel(SplittableRandom random) {
    this.random = random;
    epochs.put(epoch, new ArrayList<>());
  }

  long epoch() {
    return epoch;
  }

  /** Stores a message at the next seq, sometimes leaving a gap before it. */
  Message store() {
    if (random.nextInt(5) == 0) {
      nextSeq += 1 + random.nextInt(4);
    }
    return append(nextId++);
  }

  /** Another device of the user has everything stored so far. */
  void ackEverythingByAnotherDevice() {
    largestAck = nextSeq - 1;
  }

  /** The store lost its seq state: a random part of the messages survives, re-numbered from 1. */
  void changeEpoch() {
    List<Message> old = epochs.get(epoch);
    epoch++;
    epochs.put(epoch, new ArrayList<>());
    nextSeq = 1;
    largestAck = 0;
    for (Message m : old) {
      if (random.nextBoolean()) {
        append(m.getMessageId());
      }
    }
  }

  /** The device acknowledged {@code seq}: never backwards, clamped to the largest seq. */
  void ack(long seq) {
    largestAck = Math.max(largestAck, Math.min(seq, nextSeq - 1));
  }

  /** Reads a sync page now, as the server would answer {@code SyncRequest{seq, from_start}}. */
  SyncReply read(long seq, boolean fromStart, int limit) {
    long from = fromStart ? 0 : seq == 0 ? largestAck : seq;
    if (seq == 0 && !fromStart) {
      floors.merge(epoch, from, Math::max); // a new device never gets what lies below
    }
    List<Message> after =
        epochs.get(epoch).stream().filter(m -> m.getSeq() > from).limit(limit + 1L).toList();
    return SyncReply.newBuilder()
        .setEpoch(epoch)
        .setStartSeq(from)
        .addAllMessages(after.subList(0, Math.min(limit, after.size())))
        .setHasMore(after.size() > limit)
        .build();
  }

  /** The epoch a delivered copy of a message was stored in. */
  static long epochOf(Message m) {
    return m.getCreatedAt();
  }

  /** Below or at this seq a device starting fresh in {@code epoch} is not owed anything. */
  long floor(long epoch) {
    return floors.getOrDefault(epoch, 0L);
  }

  /** The messages of {@code epoch} with a seq above {@code after} and at most {@code upTo}. */
  List<Message> between(long epoch, long after, long upTo) {
    return epochs.get(epoch).stream()
        .filter(m -> m.getSeq() > after && m.getSeq() <= upTo)
        .toList();
  }

  private Message append(long id) {
    Message m =
        Message.newBuilder()
            .setCommand(MessageCommand.MC_USER_MESSAGE)
            .setSeq(nextSeq++)
            .setMessageId(id)
            .setCreatedAt(epoch) // stamps each copy with its seq space, for the checks
            .build();
    epochs.get(epoch).add(m);
    return m;
  }
}
