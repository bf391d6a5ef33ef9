package io.gim.examples.quickstart;

import io.gim.client.MessageListener;
import io.gim.client.ReceivedMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What one SDK client's device received, as text, in delivery order; thread-safe. */
final class TextInbox implements MessageListener {
  final List<String> texts = new CopyOnWriteArrayList<>();
  final List<Long> seqs = new CopyOnWriteArrayList<>();

  @Override
  public void onMessage(ReceivedMessage message) {
    texts.add(new String(message.content(), StandardCharsets.UTF_8));
    seqs.add(message.seq());
  }

  List<String> texts() {
    return texts;
  }
}
