package io.gim.examples.springboot;

import io.gim.spi.AuthProvider;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A Spring Boot application running GIM through gim-spring-boot-starter: the starter builds the
 * server from application.yml and starts it with the context; the application supplies only the
 * {@link AuthProvider} ({@link DevTokens}, development only).
 */
@SpringBootApplication
public class ChatApplication {
  private static final Logger log = LoggerFactory.getLogger(ChatApplication.class);

  /** Runs the application until Ctrl-C. */
  public static void main(String[] args) {
    SpringApplication.run(ChatApplication.class, args);
  }

  /** The development token checker, on {@code demo.secret}. */
  @Bean
  DevTokens devTokens(@Value("${demo.secret}") String secret, Environment env) {
    if (secret.equals(DevTokens.DEVELOPMENT_SECRET)) {
      // Anyone can mint tokens with it: refuse to be reachable from other machines.
      for (String property : new String[] {"gim.tcp.host", "gim.websocket.host"}) {
        String host = env.getProperty(property, "0.0.0.0");
        if (!loopback(host)) {
          throw new IllegalStateException(
              property
                  + "="
                  + host
                  + " needs a real secret: set GIM_SECRET (at least 16 random bytes); with the"
                  + " development secret the server listens on loopback only");
        }
      }
      log.warn("Using the development token secret: local use only (set GIM_SECRET otherwise)");
    }
    return new DevTokens(secret, Clock.systemUTC());
  }

  /** GIM checks every sign-in with this. */
  @Bean
  AuthProvider authProvider(DevTokens tokens) {
    return tokens.authProvider();
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
