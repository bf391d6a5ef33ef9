package io.gim.bench;

/** Entry point of the benchmark jar: {@code java -jar gim-bench/target/gim-bench.jar <scenario> ...}. */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) {
    System.out.println("usage: java -jar gim-bench.jar <scenario> [options]");
  }
}
