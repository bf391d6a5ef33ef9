/**
 * Durable stores on H2, MariaDB/MySQL and PostgreSQL. Start at {@link
 * io.gim.store.jdbc.JdbcStores}: {@code JdbcStores.h2(path)}, {@code JdbcStores.of(dataSource)} or
 * {@code JdbcStores.builder()}.
 */
package io.gim.store.jdbc;
