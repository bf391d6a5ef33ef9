package io.gim.spi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppendRequestTest {
  private static final NewMessage MESSAGE = new NewMessage(1, 1, 1, new byte[] {1}, 0);

  @Test
  void aReceiverNamedTwiceIsRefusedInAShortListAndInALongOne() {
    assertThatThrownBy(() -> AppendRequest.of(MESSAGE, List.of(7L, 7L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("userIds: [7, 7] (expected: distinct)");
    List<Long> group = new ArrayList<>();
    for (long u = 1; u <= 40; u++) {
      group.add(u * 1_000_003);
    }
    assertThat(AppendRequest.of(MESSAGE, group).userIds()).isEqualTo(group);
    group.add(17 * 1_000_003L); // the same id as the 17th, a different Long instance
    assertThatThrownBy(() -> AppendRequest.of(MESSAGE, group))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("(expected: distinct)");
    List<Long> lastTwo = new ArrayList<>(group.subList(0, 15));
    lastTwo.add(lastTwo.get(14) + 0); // a duplicate at the end of a list of 16
    assertThatThrownBy(() -> AppendRequest.of(MESSAGE, lastTwo))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theReceiversAreCopiedAndAtLeastOneIsRequired() {
    List<Long> ids = new ArrayList<>(List.of(3L, 1L, 2L));
    AppendRequest r = AppendRequest.of(MESSAGE, ids);
    ids.add(4L);
    assertThat(r.userIds()).containsExactly(3L, 1L, 2L);
    assertThatThrownBy(() -> AppendRequest.of(MESSAGE, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }
}
