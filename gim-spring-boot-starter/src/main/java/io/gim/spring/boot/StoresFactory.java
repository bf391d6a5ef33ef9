package io.gim.spring.boot;

import io.gim.core.memory.InMemoryStores;
import io.gim.spi.Stores;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.RoomBus;
import io.gim.store.jdbc.JdbcStores;
import io.gim.store.redis.RedisStores;
import javax.sql.DataSource;
import org.springframework.util.ClassUtils;

/**
 * Makes the {@link Stores} of {@code gim.store.*}. The store modules are optional dependencies: no
 * class of theirs is loaded unless their type is chosen and they are on the classpath. Stateless.
 */
final class StoresFactory {
  private static final String JDBC_CLASS = "io.gim.store.jdbc.JdbcStores";
  private static final String REDIS_CLASS = "io.gim.store.redis.RedisStores";

  private StoresFactory() {}

  /**
   * The stores {@code store} names, on {@code dataSource} for jdbc.
   *
   * @param dataSource the application's, or null if it has none
   */
  static Stores create(GimProperties.Store store, DataSource dataSource, ClassLoader loader) {
    return switch (store.type()) {
      case MEMORY -> InMemoryStores.create();
      case JDBC -> {
        requireModule(loader, JDBC_CLASS, "jdbc", "gim-store-jdbc");
        if (dataSource == null) {
          throw new GimStarterException(
              "gim.store.type=jdbc keeps GIM's messages in the application's DataSource, and the"
                  + " application context has no DataSource bean.",
              "Configure one (e.g. add spring-boot-starter-jdbc and set spring.datasource.url),"
                  + " define your own io.gim.spi.Stores bean, or set gim.store.type to memory or"
                  + " redis.");
        }
        yield Jdbc.stores(dataSource, store.jdbc());
      }
      case REDIS -> {
        requireModule(loader, REDIS_CLASS, "redis", "gim-store-redis");
        yield Redis.stores(store.redis());
      }
    };
  }

  /** The presence registry that comes with {@code stores} (Redis), or null: the default. */
  static PresenceRegistry presence(Stores stores, ClassLoader loader) {
    return ClassUtils.isPresent(REDIS_CLASS, loader) ? Redis.presence(stores) : null;
  }

  /** The room bus that comes with {@code stores} (Redis), or null: the default. */
  static RoomBus roomBus(Stores stores, ClassLoader loader) {
    return ClassUtils.isPresent(REDIS_CLASS, loader) ? Redis.roomBus(stores) : null;
  }

  private static void requireModule(
      ClassLoader loader, String className, String type, String module) {
    if (!ClassUtils.isPresent(className, loader)) {
      throw new GimStarterException(
          "gim.store.type=" + type + " needs io.gim:" + module + ", which is not on the classpath.",
          "Add the dependency io.gim:"
              + module
              + " (version from io.gim:gim-bom), or choose"
              + " another gim.store.type.");
    }
  }

  // Loaded only when gim-store-jdbc is present.
  private static final class Jdbc {
    static Stores stores(DataSource dataSource, GimProperties.Jdbc jdbc) {
      return JdbcStores.builder().dataSource(dataSource).migrate(jdbc.migrate()).build();
    }
  }

  // Loaded only when gim-store-redis is present.
  private static final class Redis {
    static Stores stores(GimProperties.Redis redis) {
      return RedisStores.builder()
          .uri(redis.uri())
          .prefix(redis.prefix())
          .timeout(redis.timeout())
          .build();
    }

    static PresenceRegistry presence(Stores stores) {
      return stores instanceof RedisStores redis ? redis.presence() : null;
    }

    static RoomBus roomBus(Stores stores) {
      return stores instanceof RedisStores redis ? redis.roomBus() : null;
    }
  }
}
