package io.inkan.runtime;

import static io.inkan.runtime.MilterClient.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.config.SocketSpec;
import io.vertx.core.Vertx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thousands of broken connections leave nothing behind; unix domain sockets work too. */
class MilterServerLeakTest {
  static Vertx vertx;
  static CryptoExecutor crypto;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
    crypto = new CryptoExecutor(2);
  }

  @AfterAll
  static void stopVertx() throws Exception {
    MilterServerTest.get(vertx.close());
    crypto.close();
  }

  private static long openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? 0 : fds.length;
  }

  @Test
  void twoThousandBrokenConnectionsLeakNothing() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    MilterServer server =
        new MilterServer(
            vertx,
            new SocketSpec.Inet(false, Optional.of("127.0.0.1"), 0),
            MilterServerTest.WANTS,
            () -> new HeaderHandler(crypto, n -> 0, closes),
            Optional.empty(),
            MilterServerOptions.DEFAULT);
    MilterServerTest.get(server.start());
    int port = server.actualPort();
    try (MilterClient warmup = MilterClient.connect(port)) {
      warmup.open();
    }
    MilterServerTest.await(() -> server.openConnections() == 0);
    long fdsBefore = openFds();
    int threadsBefore = Thread.activeCount();

    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<?>> runs = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      int kind = i % 5;
      long seed = i;
      runs.add(clients.submit(() -> breakOne(port, kind, new Random(seed))));
    }
    for (Future<?> f : runs) {
      f.get();
    }
    clients.shutdown();

    MilterServerTest.await(() -> server.openConnections() == 0);
    try (MilterClient c = MilterClient.connect(port)) {
      assertThat(c.open()).isEqualTo(MilterServerTest.NEGOTIATED + MilterServerTest.CONTINUE);
      c.message("a@example.com");
      assertThat(c.read(1)).isEqualTo(MilterServerTest.CONTINUE);
      c.send(frame('E'));
      assertThat(c.read(2)).isEqualTo(HeaderHandler.answer(1));
    }
    MilterServerTest.await(() -> server.openConnections() == 0);
    // Every negotiated session told its handler: warm-up, kinds 3 and 4 (800), the last client.
    MilterServerTest.await(() -> closes.get() == 802);
    MilterServerTest.await(() -> openFds() <= fdsBefore + 10);
    assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 4);
    MilterServerTest.get(server.close(Duration.ofMillis(100)));
  }

  private static Void breakOne(int port, int kind, Random random) throws Exception {
    try (MilterClient c = MilterClient.connect(port)) {
      switch (kind) {
        case 0 -> {} // connect, then close at once
        case 1 -> c.send(new byte[] {0, 0, 0}); // half a length
        case 2 -> {
          byte[] junk = new byte[64];
          random.nextBytes(junk);
          c.send(junk);
        }
        case 3 -> {
          c.open();
          byte[] m = frame('M', "<a@example.com>");
          c.send(java.util.Arrays.copyOf(m, m.length - 3)); // half a frame, then a reset
          c.socket().setSoLinger(true, 0);
        }
        default -> {
          c.open();
          c.message("a@example.com");
          c.send(frame('E')); // leave before the answer
        }
      }
    } catch (java.io.IOException e) {
      // the server may close first
    }
    return null;
  }

  @Test
  void unixDomainSocket(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("inkan.sock");
    Files.createFile(dir.resolve("stale")); // unrelated file, untouched
    MilterServer server =
        new MilterServer(
            vertx,
            new SocketSpec.Local(path),
            MilterServerTest.WANTS,
            () -> new HeaderHandler(crypto, n -> 0, new AtomicInteger()),
            Optional.empty(),
            MilterServerOptions.DEFAULT.withUmask(0007));
    MilterServerTest.get(server.start());
    assertThat(server.actualPort()).isEqualTo(-1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rwxrwx---");
    try (MilterClient c = MilterClient.connectUnix(path)) {
      assertThat(c.open()).isEqualTo(MilterServerTest.NEGOTIATED + MilterServerTest.CONTINUE);
      c.message("a@example.com");
      assertThat(c.read(1)).isEqualTo(MilterServerTest.CONTINUE);
      c.send(frame('E'));
      assertThat(c.read(2)).isEqualTo(HeaderHandler.answer(1));
    }
    MilterServerTest.get(server.close(Duration.ofMillis(100)));
    assertThat(path).doesNotExist();
  }

  @Test
  void regularFileInTheWayOfAUnixSocketFailsStartUp(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("inkan.sock");
    Files.writeString(path, "not a socket");
    MilterServer server =
        new MilterServer(
            vertx,
            new SocketSpec.Local(path),
            MilterServerTest.WANTS,
            () -> new HeaderHandler(crypto, n -> 0, new AtomicInteger()),
            Optional.empty(),
            MilterServerOptions.DEFAULT);
    io.vertx.core.Future<MilterServer> started = server.start();
    MilterServerTest.await(started::isComplete);
    assertThat(started.failed()).isTrue();
    assertThat(started.cause()).hasMessageContaining("exists and is not a socket");
    assertThat(Files.readString(path)).isEqualTo("not a socket");
  }
}
