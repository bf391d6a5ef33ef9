package io.gim.spring.boot;

import io.gim.core.GimServer;

/**
 * A bean that adjusts the {@link GimServer.Builder} after the {@code gim.*} properties are applied
 * and before the server is built: for what properties cannot say, e.g. a clock or a transport.
 * Customizers run in {@link org.springframework.core.annotation.Order} order.
 *
 * <p>Called once, on the thread that creates the application context; may block briefly.
 */
@FunctionalInterface
public interface GimServerBuilderCustomizer {

  /** Adjusts {@code builder}; must not call {@code build()}. */
  void customize(GimServer.Builder builder);
}
