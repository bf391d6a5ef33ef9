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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Classifies JDBC failures: which to retry, and which wire code the rest become. */
final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger("io.gim.store.jdbc");
  private static final RateLimitedLog UNREACHABLE_LOG = new RateLimitedLog();

  static final String BUSY = "store busy";
  static final String UNAVAILABLE = "store unavailable";
  static final String CLOSED = "store closed";
  static final String INVALID_VALUE = "invalid value";

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

  /**
   * The {@link GimException} a caller sees for {@code t}: a fixed text per condition, since it
   * reaches clients in {@code Reply.message}. The details (SQL, driver messages) go to this log,
   * here and nowhere else: convert a failure once and hand the same exception to every stage it
   * fails.
   */
  static GimException toGim(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof GimException g) {
        return g;
      }
      if (c instanceof RejectedExecutionException) {
        // Overload is the caller's to see, not a fault to log per call.
        return new GimException(GimErrorCode.BUSY, BUSY, c);
      }
    }
    if (unreachable(t)) {
      UNREACHABLE_LOG.log(t);
      return new GimException(GimErrorCode.STORE_UNAVAILABLE, UNAVAILABLE, t);
    }
    if (invalidValue(t)) {
      LOG.info("the database refused a value of a request", t);
      return new GimException(GimErrorCode.BAD_REQUEST, INVALID_VALUE, t);
    }
    // Any other database failure: the transaction rolled back, nothing was stored.
    LOG.error("database failure", t);
    return new GimException(GimErrorCode.STORE_UNAVAILABLE, UNAVAILABLE, t);
  }

  /** The failure of a call made after the store closed. */
  static GimException closed() {
    return new GimException(GimErrorCode.STORE_UNAVAILABLE, CLOSED);
  }

  /**
   * True for a data exception (SQL state class 22): a value of the request that the database cannot
   * hold, such as a string with U+0000 on PostgreSQL.
   */
  static boolean invalidValue(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException e
          && e.getSQLState() != null
          && e.getSQLState().startsWith("22")) {
        return true;
      }
    }
    return false;
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

  /**
   * Logs an unreachable database at WARN with its cause once per quiet period, and the calls that
   * fail meanwhile at DEBUG: an outage fails every call, and one report per call would bury it.
   */
  private static final class RateLimitedLog {
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - PERIOD_NANOS);
    private final AtomicLong suppressed = new AtomicLong();

    void log(Throwable t) {
      long now = System.nanoTime();
      long last = lastWarn.get();
      if (now - last >= PERIOD_NANOS && lastWarn.compareAndSet(last, now)) {
        LOG.warn(
            "database unreachable ({} more such failures since the last report)",
            suppressed.getAndSet(0),
            t);
      } else {
        suppressed.incrementAndGet();
        LOG.debug("database unreachable", t);
      }
    }
  }
}
