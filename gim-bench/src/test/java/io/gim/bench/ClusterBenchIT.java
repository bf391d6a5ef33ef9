package io.gim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gim-bench cluster} for a second per measurement against the machine's Redis: not a
 * measurement, only proof that every part runs, delivers all it should and deletes its keys.
 */
class ClusterBenchIT {
  @TempDir Path out;

  @Test
  void measuresEveryPartDeliversEverythingAndLeavesNoKeys() throws Exception {
    Assumptions.assumeTrue(reachable(), "Redis not listening on 127.0.0.1:6379");
    Options o =
        new Options(
            new String[] {
              "--redis", "redis://127.0.0.1:6379",
              "--seconds", "1",
              "--warmup", "0.5",
              "--pairs", "5",
              "--subscribers", "9",
              "--out", out.toString()
            },
            0);

    assertThat(ClusterBench.run(o)).isTrue();

    Path file;
    try (var files = Files.list(out)) {
      file = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
    }
    Map<String, Object> json = Json.parse(Files.readString(file));
    assertThat(json.get("keysLeft")).isEqualTo(0.0);
    for (String key : new String[] {"local", "cross", "room1", "room3"}) {
      assertThat((Double) json.get(key + ".rate")).as(key).isPositive();
      assertThat(json.get(key + ".delivered")).as(key).isEqualTo(json.get(key + ".expected"));
    }
    assertThat((Double) json.get("recovery.receivedMs")).isPositive();
  }

  private static boolean reachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
