package io.gim.store.jdbc;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** {@link LifecycleChecks} on an H2 file database of its own. */
class JdbcH2LifecycleTest extends LifecycleChecks {
  @Override
  protected DataSource target() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + TestDatabases.tempDir().resolve("gim").toAbsolutePath());
    ds.setUser("sa");
    return ds;
  }
}
