package io.gim.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gim.core.GimServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GrpcApi.Builder validates in build() and names the bad setting. */
class GrpcApiBuilderTest {
  private final GimServer server = GimServer.builder().auth(InProcessApi.AUTH).build();

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void aPortOutOfRangeIsNamed() {
    assertThatThrownBy(() -> GrpcApi.builder(server).external(70000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("external port: 70000 (expected: 0 to 65535, 0 for any free port)");
    assertThatThrownBy(() -> GrpcApi.builder(server).internal(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("internal port: -1 (expected: 0 to 65535, 0 for any free port)");
  }

  @Test
  void intServicesNeverShareTheExternalPort() {
    assertThatThrownBy(() -> GrpcApi.builder(server).external(9000).internal(9000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "internal port: 9000 (expected: not the external port: Int services must not be"
                + " served to clients)");
  }

  @Test
  void aBlankHostAndANonPositiveInboundLimitAreNamed() {
    assertThatThrownBy(() -> GrpcApi.builder(server).internal(" ", 0).build())
        .hasMessage("internal host: blank (expected: an address)");
    assertThatThrownBy(() -> GrpcApi.builder(server).maxInboundMessageBytes(0).build())
        .hasMessage("maxInboundMessageBytes: 0 (expected: > 0)");
  }

  @Test
  void nullsAreRefusedAtOnce() {
    assertThatThrownBy(() -> GrpcApi.builder(null)).hasMessage("server");
    assertThatThrownBy(() -> GrpcApi.builder(server).auth(null)).hasMessage("auth");
    assertThatThrownBy(() -> GrpcApi.builder(server).internalInterceptor(null))
        .hasMessage("internalInterceptor");
  }

  @Test
  void withoutPortsTheServicesAreForTheHostsOwnServerAndStartBindsNothing() {
    GrpcApi api = GrpcApi.builder(server).build();

    assertThat(api.externalServices()).hasSize(1);
    assertThat(api.internalServices()).hasSize(4);
    assertThat(api.start()).isCompleted();
    api.close();
  }
}
