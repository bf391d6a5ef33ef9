package io.gim.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Duration INITIAL = Duration.ofMillis(500);
  private static final Duration MAX = Duration.ofSeconds(30);

  @Test
  void ceilingDoublesPerAttemptFromTheInitialDelay() {
    Backoff backoff = new Backoff(INITIAL, MAX, () -> 0.5);

    assertThat(backoff.ceilingMillis(0)).isEqualTo(500);
    assertThat(backoff.ceilingMillis(1)).isEqualTo(1_000);
    assertThat(backoff.ceilingMillis(2)).isEqualTo(2_000);
    assertThat(backoff.ceilingMillis(5)).isEqualTo(16_000);
  }

  @Test
  void ceilingStopsAtTheMaximumWithoutOverflowing() {
    Backoff backoff = new Backoff(INITIAL, MAX, () -> 0.5);

    assertThat(backoff.ceilingMillis(6)).isEqualTo(30_000);
    assertThat(backoff.ceilingMillis(63)).isEqualTo(30_000);
    assertThat(backoff.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(30_000);
  }

  @Test
  void jitterSpansZeroToTheCeiling() {
    assertThat(new Backoff(INITIAL, MAX, () -> 0.0).delay(3)).isEqualTo(Duration.ZERO);
    assertThat(new Backoff(INITIAL, MAX, () -> 0.999_999_9).delay(3))
        .isEqualTo(Duration.ofMillis(4_000));
    assertThat(new Backoff(INITIAL, MAX, () -> 0.25).delay(3)).isEqualTo(Duration.ofMillis(1_000));
  }

  @Test
  void randomDelaysStayWithinBoundsAndVary() {
    Random random = new Random(42);
    Backoff backoff = new Backoff(INITIAL, MAX, random::nextDouble);

    for (int attempt = 0; attempt < 12; attempt++) {
      long ceiling = backoff.ceilingMillis(attempt);
      long distinct =
          java.util.stream.IntStream.range(0, 200)
              .mapToLong(ignored -> backoff.delay(0).toMillis())
              .distinct()
              .count();
      assertThat(distinct).isGreaterThan(50);
      for (int i = 0; i < 200; i++) {
        assertThat(backoff.delay(attempt).toMillis()).isBetween(0L, ceiling);
      }
    }
  }
}
