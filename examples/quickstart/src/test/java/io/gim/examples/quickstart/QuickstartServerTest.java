package io.gim.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuickstartServerTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"})
  void allowsLoopbackAddressesWithTheDevelopmentSecret(String host) {
    assertThat(QuickstartServer.bindAddress(host, false).isLoopbackAddress()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "[::]", "0", "203.0.113.7", "2001:db8::7"})
  void refusesEveryOtherAddressWithTheDevelopmentSecretNamingGimSecretAndTheOption(String host) {
    assertThatThrownBy(() -> QuickstartServer.bindAddress(host, false))
        .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.showUsage()).isFalse())
        .hasMessage(
            "server: --host "
                + host
                + " needs a real secret: set GIM_SECRET or --secret (at least 16 random bytes);"
                + " with the built-in development secret the server listens on 127.0.0.1 only");
  }

  @Test
  void bindsWhereverAskedWithARealSecret() throws Exception {
    assertThat(QuickstartServer.bindAddress("0.0.0.0", true))
        .isEqualTo(InetAddress.getByName("0.0.0.0"));
    assertThat(QuickstartServer.bindAddress("203.0.113.7", true).getHostAddress())
        .isEqualTo("203.0.113.7");
  }

  @Test
  void refusesAnEmptyHostRatherThanTakingItForLoopback() {
    assertThatThrownBy(() -> QuickstartServer.bindAddress(" ", true))
        .hasMessageStartingWith("--host: empty");
  }

  @Test
  void advertisesTheGivenHostResolvedToAnAddress() throws Exception {
    InetAddress any = InetAddress.getByName("0.0.0.0");
    assertThat(QuickstartServer.advertisedAddress(any, "10.1.2.3").getHostAddress())
        .isEqualTo("10.1.2.3");
    assertThat(QuickstartServer.advertisedAddress(any, "localhost").isLoopbackAddress()).isTrue();
  }

  @Test
  void advertisesTheBindAddressOrLoopbackForEveryInterfaceWithoutAdvertisedHost() throws Exception {
    assertThat(QuickstartServer.advertisedAddress(InetAddress.getByName("0.0.0.0"), null))
        .isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(QuickstartServer.advertisedAddress(InetAddress.getByName("10.1.2.3"), null))
        .isEqualTo(InetAddress.getByName("10.1.2.3"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", " ", "no-such-host.invalid"})
  void refusesAnAdvertisedHostOtherNodesCannotCall(String host) throws Exception {
    assertThatThrownBy(
            () -> QuickstartServer.advertisedAddress(InetAddress.getByName("0.0.0.0"), host))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--advertised-host: ");
  }

  @Test
  void refusesAnAdvertisedHostWithoutANodeLink() {
    assertThatThrownBy(
            () ->
                QuickstartServer.run(
                    List.of("--in-memory", "--advertised-host", "10.1.2.3"),
                    System.out,
                    System.err))
        .isInstanceOf(UsageException.class)
        .hasMessage("--advertised-host: needs --link-port (it names the node link)");
  }
}
