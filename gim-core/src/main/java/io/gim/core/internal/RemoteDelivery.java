package io.gim.core.internal;

import io.gim.protocol.Message;
import io.gim.spi.DeviceKey;
import io.gim.spi.cluster.NodeLink;
import io.gim.spi.cluster.NodeLink.DeviceMessage;
import io.gim.spi.cluster.PresenceRegistry;
import io.gim.spi.cluster.Route;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live delivery to the devices of the same users on other nodes: the receivers' routes from the
 * presence registry, then one {@link NodeLink#deliver} call per node holding any of them. Best
 * effort, like all live delivery: a message that does not get through is stored, and the device
 * syncs it. Thread-safe; never blocks (it only chains on the registry's and the link's stages).
 */
final class RemoteDelivery {
  private static final Logger log = LoggerFactory.getLogger(RemoteDelivery.class);
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private final PresenceRegistry presence;
  private final NodeLink link;
  private final String nodeId;
  private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

  RemoteDelivery(PresenceRegistry presence, NodeLink link, String nodeId) {
    this.presence = presence;
    this.link = link;
    this.nodeId = nodeId;
  }

  /** Each user's inbox message, with that user's seq, to their devices on other nodes. */
  void toInboxes(Map<Long, Long> seqs, Message template, DeviceKey excluded) {
    Packets.InboxPush push = new Packets.InboxPush(template);
    send(seqs.keySet(), user -> push.message(seqs.get(user)), excluded);
  }

  /** One encoded message (no seq) to the users' devices on other nodes. */
  void toUsers(Collection<Long> userIds, byte[] encodedMessage, DeviceKey excluded) {
    send(userIds, user -> encodedMessage, excluded);
  }

  private void send(Collection<Long> users, LongFunction<byte[]> messageOf, DeviceKey excluded) {
    presence
        .lookup(users)
        .whenComplete(
            (routes, failure) -> {
              if (failure != null) {
                logRarely("presence lookup for a remote push failed", failure);
                return;
              }
              Map<String, List<DeviceMessage>> byNode = new HashMap<>();
              for (Map.Entry<Long, List<Route>> e : routes.entrySet()) {
                byte[] message = null;
                for (Route r : e.getValue()) {
                  DeviceKey device = DeviceKey.of(r.userId(), r.deviceId());
                  if (r.nodeId().equals(nodeId) || device.equals(excluded)) {
                    continue; // this node's own devices got it directly
                  }
                  if (message == null) {
                    message = messageOf.apply(e.getKey());
                  }
                  byNode
                      .computeIfAbsent(r.nodeId(), n -> new ArrayList<>())
                      .add(new DeviceMessage(device, message));
                }
              }
              byNode.forEach(
                  (node, messages) ->
                      link.deliver(node, messages)
                          .whenComplete(
                              (ok, e) -> {
                                if (e != null) {
                                  logRarely("push to node " + node + " failed", e);
                                }
                              }));
            });
  }

  private void logRarely(String what, Throwable failure) {
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
      log.warn("{} (the devices sync it; logged at most every 10 s): {}", what, failure.toString());
    }
  }
}
