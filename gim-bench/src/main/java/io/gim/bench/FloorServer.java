package io.gim.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The floor of a sync drain: a plain socket server that sends the byte count of a drain's replies,
 * page by page, with no decoding, encoding or store behind it. Each connection first sends one
 * byte: {@code 's'} streams every page at once (the read rate of the same bytes), {@code 't'} sends
 * one page per further byte received (the same bytes with one round trip per page). One thread per
 * connection, daemon; it serves until {@link #close()}.
 */
final class FloorServer implements AutoCloseable {
  private final ServerSocket socket;
  private final int[] pages;
  private final byte[] buffer;

  /** Serves pages of these sizes on a loopback port of its own. */
  FloorServer(int[] pages) {
    this.pages = pages.clone();
    int largest = 1;
    for (int p : pages) {
      largest = Math.max(largest, p);
    }
    this.buffer = new byte[largest];
    try {
      this.socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread t = new Thread(this::accept, "bench-floor");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve(s), "bench-floor-client");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      int mode = in.read();
      for (int i = 0; i < pages.length; i++) {
        if (mode == 't' && i > 0 && in.read() < 0) {
          return;
        }
        out.write(buffer, 0, pages[i]);
        if (mode == 't') {
          out.flush();
        }
      }
      out.flush();
      in.read(); // until the client has read everything and closes
    } catch (IOException e) {
      // the client went away
    }
  }

  /** Connects, reads every page and returns the seconds from connect to the last byte read. */
  static double read(String host, int port, int[] pages, boolean turns) {
    long t0 = System.nanoTime();
    try (Socket s = new Socket(host, port)) {
      s.setTcpNoDelay(true);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      byte[] buf = new byte[64 * 1024];
      out.write(turns ? 't' : 's');
      out.flush();
      for (int i = 0; i < pages.length; i++) {
        if (turns && i > 0) {
          out.write(1);
          out.flush();
        }
        for (int left = pages[i]; left > 0; ) {
          int n = in.read(buf, 0, Math.min(buf.length, left));
          if (n < 0) {
            throw new IOException("floor server closed after page " + i);
          }
          left -= n;
        }
      }
      return (System.nanoTime() - t0) / 1e9;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
