package io.gim.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AckCoalescerTest {

  private final List<Long> sent = new ArrayList<>();
  private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();
  private boolean canSend = true;
  private final AckCoalescer acks =
      new AckCoalescer(
          seq -> {
            if (!canSend) {
              return null;
            }
            sent.add(seq);
            CompletableFuture<Void> reply = new CompletableFuture<>();
            inFlight.add(reply);
            return reply;
          });

  @Test
  void keepsOneAckInFlightAndSendsOnlyTheNewestAfterIt() {
    acks.offer(1);
    acks.offer(2);
    acks.offer(3);
    assertThat(sent).containsExactly(1L);

    inFlight.get(0).complete(null);

    assertThat(sent).containsExactly(1L, 3L);
    inFlight.get(1).complete(null);
    assertThat(sent).containsExactly(1L, 3L);
  }

  @Test
  void retriesAFailedAckOnTheNextFlush() {
    acks.offer(5);
    inFlight.get(0).completeExceptionally(new IllegalStateException("connection closed"));
    assertThat(sent).containsExactly(5L);

    acks.flush();

    assertThat(sent).containsExactly(5L, 5L);
  }

  @Test
  void holdsAnAckUntilItCanBeSent() {
    canSend = false;
    acks.offer(7);
    assertThat(sent).isEmpty();

    canSend = true;
    acks.flush();

    assertThat(sent).containsExactly(7L);
  }

  @Test
  void followsTheCursorDownAfterAnEpochReset() {
    acks.offer(500);
    inFlight.get(0).complete(null);

    acks.offer(2);

    assertThat(sent).containsExactly(500L, 2L);
  }
}
