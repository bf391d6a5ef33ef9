package io.gim.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gim.protocol.SyncRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Draining a backlog of many pages whose seqs have gaps, over real TCP, with reconnects. */
class GimClientSyncIT {

  private static final int PAGE = 100;

  private final ScriptedServer server = new ScriptedServer();
  private final List<Long> delivered = new CopyOnWriteArrayList<>();
  private GimClient client;

  @AfterEach
  void closeAll() {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private GimClient newClient() {
    client =
        GimClient.builder()
            .tcp("127.0.0.1", server.port())
            .credentials(42, 1, "secret")
            .syncPageSize(PAGE)
            .listener(m -> delivered.add(m.seq()))
            .reconnect(Duration.ofMillis(10), Duration.ofMillis(50))
            .build();
    return client;
  }

  /** Stores {@code count} messages after {@code after} with gaps of 1 to 5 seqs between them. */
  private List<Long> storeGapped(long after, int count, long randomSeed) {
    Random random = new Random(randomSeed);
    List<Long> seqs = new ArrayList<>();
    long seq = after;
    for (int i = 0; i < count; i++) {
      seq += 1 + random.nextInt(5);
      server.store(seq);
      seqs.add(seq);
    }
    return seqs;
  }

  @Test
  void drainsAGappedBacklogOfTwentyPagesInSeqOrderEachOnceAskingAfterEachPagesLastSeq() {
    List<Long> seqs = storeGapped(0, 20 * PAGE, 1);

    newClient().connect().join();

    assertThat(delivered).containsExactlyElementsOf(seqs);
    // One request per page, each after the previous page's last seq: never a guessed start.
    List<Long> expectedStarts = new ArrayList<>(List.of(0L));
    for (int page = 1; page < 20; page++) {
      expectedStarts.add(seqs.get(page * PAGE - 1));
    }
    assertThat(server.syncs)
        .extracting(SyncRequest::getSeq)
        .containsExactlyElementsOf(expectedStarts);
    assertThat(client.lastDeliveredSeq()).isEqualTo(seqs.get(seqs.size() - 1));
  }

  @Test
  void aConnectionLostInTheMiddleOfADrainResumesFromTheCursorWithNothingLostOrRepeated() {
    List<Long> seqs = new ArrayList<>(storeGapped(0, 3, 2));
    newClient().connect().join();
    int before = server.syncs.size();
    seqs.addAll(storeGapped(seqs.get(2), 10 * PAGE, 3));
    server.dropAtSync = before + 4; // pages 1-3 answered, the next request is never answered

    server.push(server.inbox.get(server.inbox.size() - 1)); // a push past a gap starts a sync

    await().untilAsserted(() -> assertThat(delivered).hasSameSizeAs(seqs));
    assertThat(delivered).containsExactlyElementsOf(seqs);
    assertThat(server.connections).hasSize(2);
    SyncRequest resumed = server.syncs.get(before + 4);
    assertThat(resumed.getSeq()).isEqualTo(seqs.get(3 + 3 * PAGE - 1)); // the cursor after page 3
  }

  @Test
  void aConnectionLostRightAfterAPageWithMoreArrivedResumesWithoutAGap() {
    List<Long> seqs = new ArrayList<>(storeGapped(0, 1, 4));
    newClient().connect().join();
    int before = server.syncs.size();
    seqs.addAll(storeGapped(seqs.get(0), 3 * PAGE, 5));
    server.dropAtSync = before + 2; // the request asked for while page 1 was being applied

    server.push(server.inbox.get(server.inbox.size() - 1));

    await().untilAsserted(() -> assertThat(delivered).hasSameSizeAs(seqs));
    assertThat(delivered).containsExactlyElementsOf(seqs);
  }
}
