package io.gim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.bench.peers.PeerRoom;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario for a second or two with tiny N, server, floor and load in this JVM: not a
 * measurement, only proof that the instrument still works (delivered == expected, JSON written).
 */
class BenchSmokeTest {
  private static BenchServer gim;
  private static RelayServer relay;

  @TempDir static Path out;

  @BeforeAll
  static void startServers() {
    gim = new BenchServer("127.0.0.1", 0, 0);
    relay = new RelayServer("127.0.0.1", 0, 0);
  }

  @AfterAll
  static void stopServers() {
    gim.close();
    relay.close();
  }

  private static Options gimOptions(String... extra) {
    return options(gim.port(), gim.controlPort(), extra);
  }

  private static Options options(int port, int controlPort, String... extra) {
    Options o = new Options(extra, 0);
    return o.set("port", port)
        .set("control-port", controlPort)
        .set("server-pid", ProcStat.selfPid())
        .set("warmup", 0.3)
        .set("seconds", 1)
        .set("out", out);
  }

  private static void assertComplete(String scenario, Options o) throws Exception {
    long files = count();
    Result r = Bench.scenario(scenario, o);
    assertThat(r.complete()).as("delivered == expected: %s", r.values()).isTrue();
    assertThat(r.count("delivered")).isPositive();
    assertThat(count()).isEqualTo(files + 1);
  }

  private static long count() throws Exception {
    try (var s = Files.list(out)) {
      return s.filter(p -> p.toString().endsWith(".json")).count();
    }
  }

  @Test
  void idleMeasuresServerMemoryPerConnection() throws Exception {
    Result r =
        Bench.scenario("idle", gimOptions("--conns", "20", "--first-user", "100", "--measure"));
    assertThat(r.values()).containsKeys("serverHeapPerConnection", "serverRssPerConnection");
    assertThat(count()).isPositive();
  }

  @Test
  void chatDeliversEveryMessageOnGimAndTheFloor() throws Exception {
    assertComplete("chat", gimOptions("--pairs", "3", "--first-user", "200"));
    assertComplete(
        "chat",
        options(
            relay.port(),
            relay.controlPort(),
            "--target",
            "relay",
            "--pairs",
            "3",
            "--first-user",
            "200"));
  }

  @Test
  void groupDeliversToEveryOtherMember() throws Exception {
    assertComplete("group", gimOptions("--size", "10", "--first-user", "300", "--group-id", "300"));
  }

  @Test
  void roomDeliversToEverySubscriberOnGimAndTheFloor() throws Exception {
    assertComplete(
        "room", gimOptions("--subscribers", "20", "--first-user", "400", "--room-id", "400"));
    assertComplete(
        "room",
        options(
            relay.port(),
            relay.controlPort(),
            "--target",
            "relay",
            "--subscribers",
            "20",
            "--first-user",
            "400"));
  }

  @Test
  void syncDrainsTheWholeBacklog() throws Exception {
    assertComplete("sync", gimOptions("--backlog", "300", "--limit", "100", "--first-user", "500"));
  }

  @Test
  void roomOnPeersWhenTheyRun() throws Exception {
    boolean nats = PeerRoom.reachable("127.0.0.1:4222");
    boolean mqtt = PeerRoom.reachable("127.0.0.1:1883");
    if (!nats || !mqtt) {
      System.out.println(
          "peers smoke skipped: nats-server reachable="
              + nats
              + ", mosquitto reachable="
              + mqtt
              + " (start them with gim-bench/peers.sh)");
    }
    Assumptions.assumeTrue(nats && mqtt, "nats-server or mosquitto not listening on 127.0.0.1");
    assertComplete(
        "room", options(4222, 0, "--target", "nats", "--subscribers", "10").set("server-pid", 0));
    assertComplete(
        "room", options(1883, 0, "--target", "mqtt", "--subscribers", "10").set("server-pid", 0));
  }
}
