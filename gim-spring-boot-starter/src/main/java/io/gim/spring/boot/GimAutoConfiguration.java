package io.gim.spring.boot;

import io.gim.core.GimServer;
import io.gim.spi.AuthProvider;
import io.gim.spi.SendPolicy;
import io.gim.spi.Stores;
import io.gim.spi.cluster.NodeLink;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.RoomBus;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Auto-configures a {@link GimServer} from the {@code gim.*} properties ({@link GimProperties}) and
 * the application's {@link AuthProvider} bean, and starts and stops it with the application context
 * ({@link GimServerLifecycle}). Every bean backs off when the application defines its own: a {@link
 * Stores}, a {@link GimServer}, a {@link GimServerLifecycle}. Optional beans the server uses when
 * present: {@link SendPolicy}, {@link PresenceRegistry}, {@link RoomBus}, {@link NodeLink} and
 * {@link GimServerBuilderCustomizer}s. {@code gim.enabled=false} switches all of it off.
 *
 * <p>Ownership: the {@link Stores} bean (made here or by the application) is closed by the context
 * after the server, never by the server; a {@link NodeLink} bean is closed by the server, as {@link
 * GimServer.Builder#nodeLink} says.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnClass(GimServer.class)
@ConditionalOnProperty(prefix = "gim", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(GimProperties.class)
public class GimAutoConfiguration {

  /** Made by Spring Boot. */
  public GimAutoConfiguration() {}

  /** The stores {@code gim.store.type} names; closed by the context after the server stops. */
  @Bean
  @ConditionalOnMissingBean
  public Stores gimStores(GimProperties properties, ObjectProvider<DataSource> dataSource) {
    DataSource ds =
        properties.store().type() == GimProperties.StoreType.JDBC
            ? dataSource.getIfAvailable()
            : null;
    return StoresFactory.create(properties.store(), ds, getClass().getClassLoader());
  }

  /**
   * The server, not yet started ({@link GimServerLifecycle} starts it once the context is
   * refreshed).
   *
   * @throws GimStarterException without an {@link AuthProvider} bean
   */
  @Bean
  @ConditionalOnMissingBean
  public GimServer gimServer(
      GimProperties properties,
      ObjectProvider<AuthProvider> auth,
      Stores stores,
      ObjectProvider<SendPolicy> sendPolicy,
      ObjectProvider<PresenceRegistry> presence,
      ObjectProvider<RoomBus> roomBus,
      ObjectProvider<NodeLink> nodeLink,
      ObjectProvider<GimServerBuilderCustomizer> customizers,
      ObjectProvider<MeterRegistry> meterRegistry) {
    AuthProvider authProvider = auth.getIfAvailable();
    if (authProvider == null) {
      throw new GimStarterException(
          "GIM checks every sign-in with the application's io.gim.spi.AuthProvider, and the"
              + " application context has no AuthProvider bean.",
          "Define a bean of type io.gim.spi.AuthProvider (it must not block; wrap a blocking"
              + " check with AuthProvider.blocking(check, executor)), or switch GIM off with"
              + " gim.enabled=false.");
    }
    ClassLoader loader = getClass().getClassLoader();
    // A view without close(): the context closes the Stores bean itself, after the server.
    Stores view = Stores.of(stores.messages(), stores.groups(), stores.devices());
    GimServer.Builder builder = GimServer.builder().auth(authProvider).stores(view);
    properties.applyTo(builder);
    sendPolicy.ifAvailable(builder::sendPolicy);
    PresenceRegistry registry =
        presence.getIfAvailable(() -> StoresFactory.presence(stores, loader));
    if (registry != null) {
      builder.presence(registry);
    }
    RoomBus bus = roomBus.getIfAvailable(() -> StoresFactory.roomBus(stores, loader));
    if (bus != null) {
      builder.roomBus(bus);
    }
    nodeLink.ifAvailable(builder::nodeLink);
    // With Actuator (or any single or primary registry), the engine's meters go there too.
    meterRegistry.ifUnique(builder::meterRegistry);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /** Starts the server when the context is refreshed and stops it when the context closes. */
  @Bean
  @ConditionalOnMissingBean
  public GimServerLifecycle gimServerLifecycle(
      GimServer server, ConfigurableEnvironment environment) {
    return new GimServerLifecycle(server, environment);
  }
}
