package io.gim.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerRotationTest {

  @Test
  void goesRoundRobinFromTheStart() {
    ServerRotation rotation = new ServerRotation(3, 1);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      order.add(rotation.current());
      rotation.failed();
    }

    assertThat(order).containsExactly(1, 2, 0, 1, 2, 0);
  }

  @Test
  void reportsAFailedRoundOnlyAfterEveryServerFailedInARow() {
    ServerRotation rotation = new ServerRotation(3, 0);

    assertThat(rotation.failed()).isFalse();
    assertThat(rotation.failed()).isFalse();
    assertThat(rotation.failed()).isTrue();
    assertThat(rotation.failedRounds()).isEqualTo(1);
    assertThat(rotation.failed()).isFalse();
    assertThat(rotation.failed()).isFalse();
    assertThat(rotation.failed()).isTrue();
    assertThat(rotation.failedRounds()).isEqualTo(2);
  }

  @Test
  void anEstablishedConnectionStartsANewRoundAtTheSameServer() {
    ServerRotation rotation = new ServerRotation(3, 0);
    rotation.failed();
    rotation.failed();

    rotation.established();

    assertThat(rotation.current()).isEqualTo(2);
    assertThat(rotation.failedRounds()).isZero();
    assertThat(rotation.failed()).isFalse(); // losing it: server 0 next, no backoff yet
    assertThat(rotation.current()).isZero();
  }

  @Test
  void withOneServerEveryFailureIsAFailedRoundAsBeforeThereWereSeveral() {
    ServerRotation rotation = new ServerRotation(1, 0);

    assertThat(rotation.failed()).isTrue();
    assertThat(rotation.failed()).isTrue();
    assertThat(rotation.failedRounds()).isEqualTo(2);
    assertThat(rotation.current()).isZero();
  }
}
