package io.gim.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.gim.protocol.PacketCommand;
import io.gim.protocol.SendRequest;
import io.gim.protocol.UserMessagePush;
import io.gim.testkit.RecordingClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

class ChatApplicationIT {

  @Test
  void twoUsersChatThroughTheApplicationWithTokensMintedLikeTheQuickstarts() throws Exception {
    try (ConfigurableApplicationContext app =
        // Command-line arguments, as a user would give them: they win over application.yml.
        new SpringApplicationBuilder(ChatApplication.class)
            .run("--gim.tcp.port=0", "--gim.websocket.port=0")) {
      int port = app.getEnvironment().getProperty("local.gim.tcp.port", Integer.class);
      DevTokens tokens = app.getBean(DevTokens.class);
      try (RecordingClient alice = RecordingClient.tcp("127.0.0.1", port);
          RecordingClient bob = RecordingClient.tcp("127.0.0.1", port)) {
        alice.assertSignedIn(1, 1, tokens.mint(1, 1, Duration.ofMinutes(5)));
        bob.assertSignedIn(2, 1, tokens.mint(2, 1, Duration.ofMinutes(5)));
        assertThat(alice.signIn(1, 2, tokens.mint(1, 1, Duration.ofMinutes(5))).getCode())
            .as("a token of another device")
            .isNotZero();

        SendRequest hi =
            SendRequest.newBuilder()
                .setToUserId(1)
                .setContent(ByteString.copyFromUtf8("hi"))
                .build();
        assertThat(bob.call(PacketCommand.PC_SEND, hi).getCode()).isZero();
        String text =
            UserMessagePush.parseFrom(alice.awaitMessage(m -> true, "bob's hi").getContent())
                .getContent()
                .toStringUtf8();
        assertThat(text).isEqualTo("hi");
      }
    }
  }

  @Test
  void refusesEveryInterfaceWithTheDevelopmentSecret() {
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(ChatApplication.class)
                    .run(
                        "--gim.tcp.port=0",
                        "--gim.websocket.port=0",
                        "--gim.tcp.host=0.0.0.0",
                        "--demo.secret=" + DevTokens.DEVELOPMENT_SECRET)
                    .close())
        .rootCause()
        .hasMessageContaining("gim.tcp.host=0.0.0.0 needs a real secret");
  }
}
