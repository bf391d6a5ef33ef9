package io.gim.store.redis.internal;

import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * A Lua script from this package's resources, run by digest; a server that does not know it yet
 * (new, restarted, flushed, another cluster node) gets the text once through {@code EVAL}.
 */
public final class Script {
  private final String name;
  private final byte[] text;
  private final String sha;
  private final ScriptOutputType output;

  private Script(String name, byte[] text, ScriptOutputType output) {
    this.name = name;
    this.text = text;
    this.output = output;
    try {
      this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  /**
   * Loads {@code name}.lua from the classpath next to this class, after the {@code preludes} (files
   * of shared local functions) in their order.
   */
  public static Script load(String name, ScriptOutputType output, String... preludes) {
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    for (String part : preludes) {
      text.writeBytes(resource(part));
      text.write('\n');
    }
    text.writeBytes(resource(name));
    return new Script(name, text.toByteArray(), output);
  }

  private static byte[] resource(String name) {
    try (InputStream in = Script.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + name + ".lua");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs the script on the node of {@code keys} (which must share a slot on a cluster), with the
   * target's deadline and mapped failures.
   */
  public <T> CompletableFuture<T> run(RedisTarget target, byte[][] keys, byte[]... args) {
    CompletableFuture<T> first = target.call(c -> c.<T>evalsha(sha, output, keys, args));
    return first
        .handle(
            (value, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(value);
              }
              if (RedisFailures.noScript(
                  failure.getCause() != null ? failure.getCause() : failure)) {
                return target.<T>call(c -> c.<T>eval(text, output, keys, args));
              }
              return CompletableFuture.<T>failedFuture(failure);
            })
        .thenCompose(f -> f);
  }

  /** The text as a string, for logs and tests. */
  public String text() {
    return new String(text, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Script[" + name + " " + sha + "]";
  }
}
