package io.gim.transport.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.transport.netty.internal.NodeGate.Admission;
import io.gim.transport.netty.internal.NodeGate.BreakerState;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NodeGateTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final NodeGate gate = new NodeGate(2, 3, 100, now::get);

  @Test
  void refusesPastTheInFlightLimitUntilACallEnds() {
    assertThat(gate.tryAdmit()).isEqualTo(Admission.ADMITTED);
    assertThat(gate.tryAdmit()).isEqualTo(Admission.ADMITTED);
    assertThat(gate.tryAdmit()).isEqualTo(Admission.TOO_MANY_IN_FLIGHT);
    gate.succeeded();
    assertThat(gate.tryAdmit()).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void opensAfterConsecutiveFailuresAndLetsOneTrialThroughAfterTheCoolDown() {
    failOnce();
    failOnce();
    assertThat(gate.breakerState()).isEqualTo(BreakerState.CLOSED);
    failOnce();
    assertThat(gate.breakerState()).isEqualTo(BreakerState.OPEN);
    assertThat(gate.tryAdmit()).isEqualTo(Admission.BREAKER_OPEN);

    now.addAndGet(100);
    assertThat(gate.tryAdmit()).isEqualTo(Admission.ADMITTED);
    assertThat(gate.tryAdmit()).as("only one trial").isEqualTo(Admission.BREAKER_OPEN);
    gate.succeeded();
    assertThat(gate.breakerState()).isEqualTo(BreakerState.CLOSED);
    assertThat(gate.tryAdmit()).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void aFailedTrialReopensForAnotherCoolDown() {
    failOnce();
    failOnce();
    failOnce();
    now.addAndGet(100);
    assertThat(gate.tryAdmit()).isEqualTo(Admission.ADMITTED);
    assertThat(gate.failed(true)).isTrue();
    assertThat(gate.tryAdmit()).isEqualTo(Admission.BREAKER_OPEN);
    now.addAndGet(100);
    assertThat(gate.tryAdmit()).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void aSuccessInBetweenResetsTheFailureCount() {
    failOnce();
    failOnce();
    gate.tryAdmit();
    gate.succeeded();
    failOnce();
    failOnce();
    assertThat(gate.breakerState()).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void aRefusedCallDoesNotConsumeTheTrial() {
    NodeGate one = new NodeGate(1, 1, 100, now::get);
    assertThat(one.tryAdmit()).isEqualTo(Admission.ADMITTED);
    assertThat(one.tryAdmit()).isEqualTo(Admission.TOO_MANY_IN_FLIGHT);
    one.failed(true);
    now.addAndGet(100);
    assertThat(one.tryAdmit()).isEqualTo(Admission.ADMITTED);
  }

  private void failOnce() {
    assertThat(gate.tryAdmit()).isEqualTo(Admission.ADMITTED);
    gate.failed(true);
  }
}
