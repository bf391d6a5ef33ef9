package io.gim.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user's devices on one node as delivery sees them: every device signed in gets each push, a
 * device that left or was replaced stops getting them, its replacement gets them.
 */
class DeviceDeliveryTest {
  private final EngineHarness h = new EngineHarness();

  private static long pushesTo(EngineHarness.Client c, String text) {
    return c.pushes().stream().filter(m -> m.getContent().toStringUtf8().contains(text)).count();
  }

  @Test
  void everyDeviceOfAUserGetsAPushUntilItLeavesOrIsReplaced() {
    EngineHarness.Client phone = h.connect();
    phone.signIn(1, 1);
    EngineHarness.Client laptop = h.connect();
    laptop.signIn(1, 2);
    EngineHarness.Client tablet = h.connect();
    tablet.signIn(1, 3);
    EngineHarness.Client friend = h.connect();
    friend.signIn(2, 1);

    friend.sendTo(1, "one");
    h.runAll();
    for (EngineHarness.Client device : List.of(phone, laptop, tablet)) {
      assertThat(pushesTo(device, "one")).isEqualTo(1);
    }

    laptop.connection.close();
    EngineHarness.Client newTablet = h.connect();
    newTablet.signIn(1, 3); // replaces the tablet's older connection
    friend.sendTo(1, "two");
    h.runAll();

    assertThat(pushesTo(phone, "two")).isEqualTo(1);
    assertThat(pushesTo(newTablet, "two")).isEqualTo(1);
    assertThat(pushesTo(laptop, "two")).isZero();
    assertThat(pushesTo(tablet, "two")).isZero();
    assertThat(tablet.isOpen()).isFalse();
    assertThat(h.engine.sessionCount()).isEqualTo(3); // phone, new tablet, friend
  }
}
