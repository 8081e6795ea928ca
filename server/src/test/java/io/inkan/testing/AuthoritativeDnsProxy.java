package io.inkan.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP relay in front of an {@link AuthoritativeDns} that counts the queries it sees and can drop
 * the first few or delay each: the server stays real while a test decides what gets lost. UDP only
 * (a truncated answer's TCP retry finds nothing listening here).
 */
public final class AuthoritativeDnsProxy implements AutoCloseable {
  private final DatagramSocket socket;
  private final InetSocketAddress upstream;
  private final ExecutorService workers;
  private final AtomicInteger queries = new AtomicInteger();
  private final AtomicInteger toDrop;
  private final Duration delay;

  private AuthoritativeDnsProxy(InetSocketAddress upstream, int drop, Duration delay)
      throws IOException {
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.upstream = upstream;
    this.toDrop = new AtomicInteger(drop);
    this.delay = delay;
    this.workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "dns-proxy");
              t.setDaemon(true);
              return t;
            });
    workers.execute(this::receive);
  }

  /**
   * Relays to {@code upstream}.
   *
   * @param drop how many of the first queries to drop unanswered
   * @param delay how long to hold each query before relaying it
   */
  public static AuthoritativeDnsProxy start(InetSocketAddress upstream, int drop, Duration delay)
      throws IOException {
    return new AuthoritativeDnsProxy(upstream, drop, delay);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  /** Queries received so far, dropped ones included. */
  public int queries() {
    return queries.get();
  }

  private void receive() {
    byte[] buf = new byte[65535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        socket.receive(in);
        queries.incrementAndGet();
        if (toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          continue;
        }
        byte[] query = Arrays.copyOf(in.getData(), in.getLength());
        SocketAddress client = in.getSocketAddress();
        workers.execute(() -> relay(query, client));
      } catch (IOException e) {
        // closed, or one bad datagram: go on until closed
      }
    }
  }

  private void relay(byte[] query, SocketAddress client) {
    try (DatagramSocket up = new DatagramSocket()) {
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      up.setSoTimeout(5000);
      up.send(new DatagramPacket(query, query.length, upstream));
      byte[] buf = new byte[65535];
      DatagramPacket reply = new DatagramPacket(buf, buf.length);
      up.receive(reply);
      socket.send(new DatagramPacket(reply.getData(), reply.getLength(), client));
    } catch (SocketTimeoutException e) {
      // no answer (the server is paused): the client times out as it would without us
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // closed meanwhile
    }
  }

  @Override
  public void close() {
    socket.close();
    workers.shutdownNow();
  }
}
