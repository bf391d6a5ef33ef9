package io.gim.bench.peers;

import io.gim.bench.Counters;
import io.gim.bench.Options;
import io.gim.bench.Publisher;
import io.gim.bench.Wire;
import io.gim.bench.WireClients;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The room fan-out on the two peers: the publisher is the peer's Java client (jnats, Paho), the
 * subscribers are minimal raw Netty clients that only frame and count, as for GIM.
 */
public final class PeerRoom {
  static final String NATS_SUBJECT = "bench.room";
  static final String MQTT_TOPIC = "bench/room";

  private PeerRoom() {}

  /** Subscribes {@code subscribers} clients, then connects and returns the publisher. */
  public static Publisher connect(
      String peer, WireClients clients, Options o, int subscribers, Counters counters) {
    int payload = o.integer("payload", 100);
    InetSocketAddress address =
        address(o.str(peer, peer.equals("nats") ? "127.0.0.1:4222" : "127.0.0.1:1883"));
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    clients.open(
        address.getHostString(),
        address.getPort(),
        subscribers,
        () -> {
          int i = ready.size();
          Object h =
              peer.equals("nats")
                  ? new NatsSubscriber(counters)
                  : new MqttSubscriber("bench-sub-" + i, counters);
          ready.add(h instanceof NatsSubscriber n ? n.ready : ((MqttSubscriber) h).ready);
          return new Object[] {h};
        },
        ready::get);
    return peer.equals("nats") ? nats(address, payload) : mqtt(address, payload);
  }

  /** True when something listens at {@code host:port}. */
  public static boolean reachable(String hostPort) {
    InetSocketAddress a = address(hostPort);
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(a, 1000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private static Publisher nats(InetSocketAddress a, int payload) {
    try {
      Connection nc = Nats.connect("nats://" + a.getHostString() + ":" + a.getPort());
      return new Publisher() {
        @Override
        public void publish(int n) {
          for (int i = 0; i < n; i++) {
            nc.publish(NATS_SUBJECT, Wire.stamped(System.nanoTime(), payload));
          }
        }

        @Override
        public void close() {
          try {
            nc.close();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Publisher mqtt(InetSocketAddress a, int payload) {
    try {
      MqttClient client =
          new MqttClient(
              "tcp://" + a.getHostString() + ":" + a.getPort(),
              "bench-pub",
              new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(true);
      client.connect(options);
      return new Publisher() {
        @Override
        public void publish(int n) {
          try {
            for (int i = 0; i < n; i++) {
              client.publish(MQTT_TOPIC, Wire.stamped(System.nanoTime(), payload), 0, false);
            }
          } catch (MqttException e) {
            throw new IllegalStateException(e);
          }
        }

        @Override
        public void close() {
          try {
            client.disconnect();
            client.close();
          } catch (MqttException e) {
            // closing anyway
          }
        }
      };
    } catch (MqttException e) {
      throw new IllegalStateException("mosquitto at " + a, e);
    }
  }
}
