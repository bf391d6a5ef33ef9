package io.gim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gim.bench.redis.RedisBench;
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
 * {@code gim-bench redis} for a second per measurement against the machine's Redis: not a
 * measurement, only proof that the instrument runs every part and deletes its keys.
 */
class RedisBenchIT {
  @TempDir Path out;

  @Test
  void measuresEveryPartAndLeavesNoKeys() throws Exception {
    Assumptions.assumeTrue(reachable(), "Redis not listening on 127.0.0.1:6379");
    Options o =
        new Options(
            new String[] {
              "--target",
              "single",
              "--redis",
              "redis://127.0.0.1:6379",
              "--seconds",
              "1",
              "--warmup",
              "0",
              "--users",
              "100",
              "--group",
              "10",
              "--lookup",
              "10",
              "--inflight",
              "16",
              "--out",
              out.toString()
            },
            0);

    RedisBench.run(o);

    Path file;
    try (var files = Files.list(out)) {
      file = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
    }
    Map<String, Object> json = Json.parse(Files.readString(file));
    assertThat(json.get("keysLeft")).isEqualTo(0.0);
    for (String key : new String[] {"floor", "floorBatched", "oneToOne", "group", "dedupe"}) {
      assertThat((Double) json.get(key + ".itemsPerSec")).as(key).isPositive();
    }
    assertThat((Double) json.get("lookupFloor.itemsPerSec")).isPositive();
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
