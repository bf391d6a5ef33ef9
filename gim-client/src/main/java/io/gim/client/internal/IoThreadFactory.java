package io.gim.client.internal;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names client I/O threads {@code gim-client-io-N}, numbered across all clients of the JVM. Daemon
 * threads, so a client the application forgot to close does not keep the JVM alive. Thread-safe.
 */
public final class IoThreadFactory implements ThreadFactory {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new FastThreadLocalThread(task, "gim-client-io-" + COUNTER.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }
}
