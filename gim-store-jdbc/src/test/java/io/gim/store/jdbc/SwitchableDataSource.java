package io.gim.store.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A host's data source that a test can take down (new connections fail as a pool does when the
 * server is gone) or stall (new connections wait until released).
 */
final class SwitchableDataSource implements DataSource {
  private final DataSource target;
  private volatile boolean down;
  private volatile CountDownLatch stall;
  private final AtomicInteger borrowed = new AtomicInteger();
  private final AtomicInteger stalled = new AtomicInteger();

  SwitchableDataSource(DataSource target) {
    this.target = target;
  }

  /** The data source behind this one. */
  DataSource target() {
    return target;
  }

  /** Connections handed out so far. */
  int borrowed() {
    return borrowed.get();
  }

  /** Callers waiting in {@link #getConnection} for {@link #release} now. */
  int stalled() {
    return stalled.get();
  }

  void down(boolean down) {
    this.down = down;
  }

  void stall() {
    stall = new CountDownLatch(1);
  }

  void release() {
    CountDownLatch s = stall;
    stall = null;
    if (s != null) {
      s.countDown();
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    CountDownLatch s = stall;
    if (s != null) {
      stalled.incrementAndGet();
      try {
        s.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLTransientConnectionException("interrupted", e);
      } finally {
        stalled.decrementAndGet();
      }
    }
    if (down) {
      throw new SQLTransientConnectionException("test: database is down", "08001");
    }
    Connection c = target.getConnection();
    borrowed.incrementAndGet();
    return c;
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return target.isWrapperFor(iface);
  }
}
