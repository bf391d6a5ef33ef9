package io.gim.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gim.client.ReceivedMessage.Kind;
import org.junit.jupiter.api.Test;

class ReceivedMessageTest {

  private static final User BO = new User(43, 2, "bo", "", "");

  @Test
  void keepsItsContentWhenTheCallersArrayChangesLater() {
    byte[] payload = {1, 2, 3};
    ReceivedMessage m = new ReceivedMessage(Kind.USER, 1, 5, 1005, 1_700_000_000L, BO, 42, payload);

    payload[0] = 9;

    assertThat(m.content()).containsExactly(1, 2, 3);
  }

  @Test
  void handsOutACopyOfTheContentSoNoReaderChangesItForAnother() {
    ReceivedMessage m =
        new ReceivedMessage(Kind.USER, 1, 5, 1005, 1_700_000_000L, BO, 42, new byte[] {1, 2});

    m.content()[0] = 9;

    assertThat(m.content()).containsExactly(1, 2);
    assertThat(m.contentLength()).isEqualTo(2);
  }

  @Test
  void setsOnlyTheTargetThatItsKindNames() {
    ReceivedMessage group =
        new ReceivedMessage(Kind.GROUP, 2, 6, 1006, 1_700_000_000L, BO, 77, new byte[0]);

    assertThat(group.groupId()).isEqualTo(77);
    assertThat(group.toUserId()).isZero();
    assertThat(group.roomId()).isZero();
  }

  @Test
  void comparesByValueContentIncluded() {
    ReceivedMessage a =
        new ReceivedMessage(Kind.ROOM, 3, 0, 0, 1_700_000_000L, BO, 7, new byte[] {1});
    ReceivedMessage b =
        new ReceivedMessage(Kind.ROOM, 3, 0, 0, 1_700_000_000L, BO, 7, new byte[] {1});

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a)
        .isNotEqualTo(
            new ReceivedMessage(Kind.ROOM, 3, 0, 0, 1_700_000_000L, BO, 7, new byte[] {2}));
  }

  @Test
  void doesNotPrintThePayload() {
    ReceivedMessage m =
        new ReceivedMessage(Kind.OTHER, 110, 8, 1008, 1_700_000_000L, null, 0, "secret".getBytes());

    assertThat(m.toString()).doesNotContain("secret").contains("6 bytes");
    assertThat(m.from()).isEmpty();
  }

  @Test
  void requiresASenderForUserGroupAndRoomMessages() {
    assertThatThrownBy(() -> new ReceivedMessage(Kind.USER, 1, 1, 1, 1, null, 42, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("from: null (expected: a sender for kind USER)");
  }
}
