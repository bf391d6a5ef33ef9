package io.gim.store.jdbc.internal;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.SQLDialect;

/**
 * Applies the versioned schema of {@code src/main/resources/db/gim/<vendor>/} with Flyway. The
 * history table is {@code gim_schema_history}, so the store can share a database with a host's own
 * Flyway history; a database that already holds other tables is baselined at version 0 so that V1
 * still runs.
 */
final class Migrations {
  private Migrations() {}

  /** The folder under {@code db/gim} with the scripts for a dialect. */
  static String folder(SQLDialect dialect) {
    return switch (dialect.family()) {
      case H2 -> "h2";
      case MARIADB, MYSQL -> "mysql";
      case POSTGRES -> "postgresql";
      default ->
          throw new IllegalArgumentException(
              "dialect: " + dialect + " (expected: H2, MariaDB, MySQL or PostgreSQL)");
    };
  }

  static void apply(DataSource dataSource, SQLDialect dialect) {
    Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/gim/" + folder(dialect))
        .table("gim_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }
}
