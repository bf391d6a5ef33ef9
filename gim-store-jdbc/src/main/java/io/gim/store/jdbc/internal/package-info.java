/**
 * The implementation of {@code io.gim.store.jdbc}: jOOQ statements, the executor, migrations and
 * failure mapping. Internal: may change at any time without notice; use {@code JdbcStores}.
 */
package io.gim.store.jdbc.internal;
