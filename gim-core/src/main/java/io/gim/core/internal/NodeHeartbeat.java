package io.gim.core.internal;

import io.gim.spi.cluster.PresenceRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node alive in a shared presence registry: a node heartbeat every third of the node
 * TTL, on a daemon thread of its own. When the registry answers that the node was not alive (its
 * liveness lapsed, or the registry lost its data), every route of this node is registered again.
 */
final class NodeHeartbeat {
  private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);

  private final PresenceRegistry presence;
  private final String nodeId;
  private final Duration ttl;
  private final Runnable registerRoutesAgain;
  private final AtomicBoolean beating = new AtomicBoolean();
  private ScheduledExecutorService timer;
  private boolean failing;

  NodeHeartbeat(
      PresenceRegistry presence, String nodeId, Duration ttl, Runnable registerRoutesAgain) {
    this.presence = presence;
    this.nodeId = nodeId;
    this.ttl = ttl;
    this.registerRoutesAgain = registerRoutesAgain;
  }

  synchronized void start() {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gim-node-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(1, ttl.toMillis() / 3);
    timer.scheduleAtFixedRate(this::beat, 0, period, TimeUnit.MILLISECONDS);
  }

  synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  private void beat() {
    if (!beating.compareAndSet(false, true)) {
      return; // the last one has not answered yet
    }
    try {
      presence
          .heartbeatNode(nodeId, ttl)
          .whenComplete(
              (lapsed, failure) -> {
                beating.set(false);
                report(failure);
                if (failure == null && Boolean.TRUE.equals(lapsed)) {
                  registerRoutesAgain.run();
                }
              });
    } catch (RuntimeException e) {
      beating.set(false);
      report(e);
    }
  }

  /** Logs the first failure of a run of them and the recovery, not every beat. */
  private synchronized void report(Throwable failure) {
    if (failure != null && !failing) {
      failing = true;
      log.warn(
          "node heartbeat of {} failed; retrying every {} ms", nodeId, ttl.toMillis() / 3, failure);
    } else if (failure == null && failing) {
      failing = false;
      log.info("node heartbeat of {} works again", nodeId);
    }
  }
}
