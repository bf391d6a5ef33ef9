package io.gim.spring.boot;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code gim} health indicator ({@link GimHealthIndicator}) when the application has
 * Spring Boot's actuator; {@code management.health.gim.enabled=false} leaves it out.
 */
@AutoConfiguration(after = GimAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(GimServerLifecycle.class)
@ConditionalOnEnabledHealthIndicator("gim")
public class GimHealthAutoConfiguration {

  /** Made by Spring Boot. */
  public GimHealthAutoConfiguration() {}

  /** The indicator; its bean name makes the health component {@code gim}. */
  @Bean
  @ConditionalOnMissingBean(name = "gimHealthIndicator")
  public GimHealthIndicator gimHealthIndicator(GimServerLifecycle lifecycle) {
    return new GimHealthIndicator(lifecycle);
  }
}
