package io.gim.store.jdbc.internal;

import io.gim.spi.GimErrorCode;
import io.gim.spi.GimException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.RejectedExecutionException;

/** Classifies JDBC failures: which to retry, and which wire code the rest become. */
final class Failures {
  private Failures() {}

  /** Thrown inside a transaction to roll it back and run it again (bounded by the caller). */
  static final class Retry extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Retry(String why, Throwable cause) {
      super(why, cause, false, false);
    }
  }

  /**
   * True for a deadlock, a serialization failure or a lock wait timeout: the transaction was rolled
   * back as a whole and running it again may succeed.
   */
  static boolean retryable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof Retry || c instanceof SQLTransactionRollbackException) {
        return true;
      }
      if (c instanceof SQLException e) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        // 40001 serialization failure / MySQL deadlock, 40P01 PostgreSQL deadlock,
        // MySQL 1213 deadlock and 1205 lock wait timeout, H2 40001 deadlock and 50200 lock timeout.
        if ("40001".equals(state) || "40P01".equals(state) || code == 1213 || code == 1205) {
          return true;
        }
        if ("HYT00".equals(state) || code == 50200) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when the failure is a unique or primary key violation. */
  static boolean uniqueViolation(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException e) {
        // 23505 (H2, PostgreSQL); MySQL and MariaDB say 23000 with error 1062.
        if ("23505".equals(e.getSQLState()) || e.getErrorCode() == 1062) {
          return true;
        }
      }
    }
    return false;
  }

  /** The {@link GimException} a caller sees for {@code t}. */
  static GimException toGim(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof GimException g) {
        return g;
      }
      if (c instanceof RejectedExecutionException) {
        return new GimException(GimErrorCode.BUSY, "store busy: the JDBC queue is full", c);
      }
    }
    if (unreachable(t)) {
      return new GimException(
          GimErrorCode.STORE_UNAVAILABLE, "database unreachable: " + rootMessage(t), t);
    }
    // Any other database failure: the transaction rolled back, nothing was stored.
    return new GimException(
        GimErrorCode.STORE_UNAVAILABLE, "database failure: " + rootMessage(t), t);
  }

  /** True when the database could not be reached or the connection broke. */
  static boolean unreachable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLTransientConnectionException
          || c instanceof SQLNonTransientConnectionException
          || c instanceof SQLRecoverableException
          || c instanceof SQLTimeoutException) {
        return true;
      }
      if (c instanceof SQLException e
          && e.getSQLState() != null
          && e.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + ": " + c.getMessage();
  }
}
