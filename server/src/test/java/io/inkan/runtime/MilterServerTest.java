package io.inkan.runtime;

import static io.inkan.runtime.MilterClient.frame;
import static io.inkan.runtime.MilterClient.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.config.SocketSpec;
import io.inkan.milter.MilterFlags;
import io.inkan.milter.Negotiation;
import io.inkan.milter.Step;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MilterServerTest {
  /** Sees connect, mail, headers, end of headers and body; decides only at connect and mail. */
  static final Negotiation.Wants WANTS =
      new Negotiation.Wants(
          MilterFlags.SMFIF_ADDHDRS,
          0,
          EnumSet.of(Step.CONNECT, Step.MAIL, Step.HEADER, Step.EOH, Step.BODY),
          EnumSet.of(Step.CONNECT, Step.MAIL),
          Map.of(),
          false,
          false);

  /** Version 6, ADDHDRS, NOHELO|NORCPT|NODATA|NOUNKNOWN|NR_HDR|NR_EOH|NR_BODY. */
  static final String NEGOTIATED = "0000000d4f" + "00000006" + "00000001" + "000c038a";

  static final String CONTINUE = reply('c');

  static Vertx vertx;
  static CryptoExecutor crypto;
  final List<MilterServer> servers = new ArrayList<>();
  final AtomicInteger closes = new AtomicInteger();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
    crypto = new CryptoExecutor();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    get(vertx.close());
    crypto.close();
  }

  @AfterEach
  void stopServers() throws Exception {
    for (MilterServer s : servers) {
      get(s.close(Duration.ofMillis(100)));
    }
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(end);
      Thread.sleep(10);
    }
  }

  MilterServer start(MilterServerOptions options, LongUnaryOperator delay) throws Exception {
    return start(
        new SocketSpec.Inet(false, Optional.of("127.0.0.1"), 0), Optional.empty(), options, delay);
  }

  MilterServer start(
      SocketSpec spec,
      Optional<Predicate<InetAddress>> allowed,
      MilterServerOptions options,
      LongUnaryOperator delay)
      throws Exception {
    MilterServer s =
        new MilterServer(
            vertx, spec, WANTS, () -> new HeaderHandler(crypto, delay, closes), allowed, options);
    servers.add(s);
    return get(s.start());
  }

  MilterServer start() throws Exception {
    return start(MilterServerOptions.DEFAULT, n -> 0);
  }

  @Test
  void fullSessionByteExact() throws Exception {
    MilterServer server = start();
    try (MilterClient c = MilterClient.connect(server.actualPort())) {
      c.send(MilterClient.OFFER);
      assertThat(c.read(1)).isEqualTo(NEGOTIATED);
      c.send(
          frame('D', "C".getBytes(), "j", "mx.example", "{daemon_name}", "smtpd"),
          frame('C', "client.example", "4".getBytes(), MilterClient.int16(4321), "192.0.2.7"));
      assertThat(c.read(1)).isEqualTo(CONTINUE);
      c.send(frame('D', "M".getBytes(), "i", "4Q1abc"), frame('M', "<a@example.com>", "SIZE=10"));
      assertThat(c.read(1)).isEqualTo(CONTINUE);
      c.send(
          frame('L', "From", "a@example.com"),
          frame('L', "To", "b@example.org"),
          frame('N'),
          frame('B', "hello\r\n".getBytes()),
          frame('E'));
      assertThat(c.read(2)).isEqualTo(HeaderHandler.answer(1));
      c.send(frame('Q'));
      assertThat(c.closedByServer()).isTrue();
    }
    await(() -> server.openConnections() == 0);
    assertThat(closes).hasValue(1);
  }

  @Test
  void twoMessagesOnOneConnection() throws Exception {
    MilterServer server = start();
    try (MilterClient c = MilterClient.connect(server.actualPort())) {
      assertThat(c.open()).isEqualTo(NEGOTIATED + CONTINUE);
      for (int n = 1; n <= 2; n++) {
        c.message("a@example.com");
        assertThat(c.read(1)).isEqualTo(CONTINUE);
        c.send(frame('E'));
        assertThat(c.read(2)).isEqualTo(HeaderHandler.answer(n));
      }
      c.send(frame('A'), frame('Q'));
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void endOfMessageBurstArrivesInOneRead() throws Exception {
    MilterServer server = start();
    try (MilterClient c = MilterClient.connect(server.actualPort())) {
      c.open();
      c.message("a@example.com");
      assertThat(c.read(1)).isEqualTo(CONTINUE);
      c.send(frame('E'));
      assertThat(c.readOnce()).isEqualTo(HeaderHandler.answer(1));
    }
  }

  @Test
  void commandsBehindAPendingEndOfMessageKeepTheirOrder() throws Exception {
    MilterServer server = start(MilterServerOptions.DEFAULT, n -> n == 1 ? 300 : 0);
    try (MilterClient c = MilterClient.connect(server.actualPort())) {
      c.open();
      c.message("a@example.com");
      assertThat(c.read(1)).isEqualTo(CONTINUE);
      // The end of message and the whole next message in one write, as a misbehaving MTA might.
      c.send(
          frame('E'),
          frame('M', "<b@example.com>"),
          frame('L', "From", "b@example.com"),
          frame('N'),
          frame('E'));
      assertThat(c.read(5)).isEqualTo(HeaderHandler.answer(1) + CONTINUE + HeaderHandler.answer(2));
    }
  }

  @Test
  void missedDeadlineAnswersTempfailAndDropsTheLateAnswer() throws Exception {
    MilterServerOptions o = MilterServerOptions.DEFAULT.withMessageDeadline(Duration.ofMillis(200));
    MilterServer server = start(o, n -> n == 1 ? 700 : 0);
    try (MilterClient c = MilterClient.connect(server.actualPort())) {
      c.open();
      c.message("a@example.com");
      assertThat(c.read(1)).isEqualTo(CONTINUE);
      long t0 = System.nanoTime();
      c.send(frame('E'));
      assertThat(c.read(1)).isEqualTo(reply('t'));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(150L, 650L);
      c.message("a@example.com");
      assertThat(c.read(1)).isEqualTo(CONTINUE);
      c.send(frame('E'));
      assertThat(c.read(2)).isEqualTo(HeaderHandler.answer(2));
      assertThat(c.silentFor(900)).as("late answer to message 1 dropped").isTrue();
    }
  }

  @Test
  void oversizeFrameClosesOnlyThatConnection() throws Exception {
    MilterServer server = start();
    try (MilterClient good = MilterClient.connect(server.actualPort());
        MilterClient bad = MilterClient.connect(server.actualPort())) {
      good.open();
      bad.open();
      bad.send(MilterClient.int32(70_000), new byte[] {'B'}, new byte[100]);
      assertThat(bad.closedByServer()).isTrue();
      good.message("a@example.com");
      assertThat(good.read(1)).isEqualTo(CONTINUE);
      good.send(frame('E'));
      assertThat(good.read(2)).isEqualTo(HeaderHandler.answer(1));
      await(() -> server.openConnections() == 1);
    }
  }

  @Test
  void negotiatedOneMegabyteFramesAreAccepted() throws Exception {
    MilterServer server = start();
    try (MilterClient c = MilterClient.connect(server.actualPort())) {
      c.send(
          frame(
              'O',
              MilterClient.int32(6),
              MilterClient.int32(0x1ff),
              MilterClient.int32(0x1fffff | MilterFlags.SMFIP_MDS_1M)));
      assertThat(c.read(1)).isEqualTo("0000000d4f" + "00000006" + "00000001" + "200c038a");
      c.send(frame('C', "mx.example", "4".getBytes(), MilterClient.int16(25), "192.0.2.1"));
      assertThat(c.read(1)).isEqualTo(CONTINUE);
      c.message("a@example.com");
      assertThat(c.read(1)).isEqualTo(CONTINUE);
      c.send(frame('B', new byte[MilterFlags.MDS_1M]), frame('E'));
      assertThat(c.read(2)).isEqualTo(HeaderHandler.answer(1));
    }
  }

  @Test
  void unknownCommandAndOutOfOrderClose() throws Exception {
    MilterServer server = start();
    try (MilterClient c = MilterClient.connect(server.actualPort())) {
      c.open();
      c.send(frame('Z', "junk"));
      assertThat(c.closedByServer()).isTrue();
    }
    try (MilterClient c = MilterClient.connect(server.actualPort())) {
      c.send(frame('M', "<a@example.com>"));
      assertThat(c.closedByServer()).isTrue();
    }
    await(() -> server.openConnections() == 0);
  }

  @Test
  void clientStallingMidFrameIsClosedButIdleClientIsNot() throws Exception {
    MilterServerOptions o = MilterServerOptions.DEFAULT.withStallTimeout(Duration.ofMillis(300));
    MilterServer server = start(o, n -> 0);
    try (MilterClient idle = MilterClient.connect(server.actualPort());
        MilterClient stalled = MilterClient.connect(server.actualPort())) {
      idle.open();
      stalled.open();
      byte[] m = frame('M', "<a@example.com>");
      stalled.send(java.util.Arrays.copyOf(m, 7));
      assertThat(stalled.closedByServer()).isTrue();
      Thread.sleep(400);
      idle.message("a@example.com");
      assertThat(idle.read(1)).isEqualTo(CONTINUE);
      idle.send(frame('E'));
      assertThat(idle.read(2)).isEqualTo(HeaderHandler.answer(1));
    }
  }

  @Test
  void connectionCap() throws Exception {
    MilterServer server = start(MilterServerOptions.DEFAULT.withMaxConnections(2), n -> 0);
    try (MilterClient a = MilterClient.connect(server.actualPort());
        MilterClient b = MilterClient.connect(server.actualPort())) {
      a.open();
      b.open();
      try (MilterClient c = MilterClient.connect(server.actualPort())) {
        assertThat(c.closedByServer()).isTrue();
      }
      assertThat(server.openConnections()).isEqualTo(2);
      a.send(frame('Q'));
      assertThat(a.closedByServer()).isTrue();
      await(() -> server.openConnections() == 1);
      try (MilterClient d = MilterClient.connect(server.actualPort())) {
        assertThat(d.open()).isEqualTo(NEGOTIATED + CONTINUE);
      }
    }
  }

  @Test
  void nonLoopbackBindNeedsAnAllowlist() throws Exception {
    SocketSpec any = new SocketSpec.Inet(false, Optional.empty(), 0);
    assertThatThrownBy(
            () ->
                new MilterServer(
                    vertx,
                    any,
                    WANTS,
                    () -> new HeaderHandler(crypto, n -> 0, closes),
                    Optional.empty(),
                    MilterServerOptions.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MilterAllowedClients")
        .hasMessageContaining("inet:0");

    MilterServer refusing =
        start(any, Optional.of(a -> false), MilterServerOptions.DEFAULT, n -> 0);
    try (MilterClient c = MilterClient.connect(refusing.actualPort())) {
      assertThat(c.closedByServer()).isTrue();
    }
    MilterServer allowing =
        start(
            any, Optional.of(InetAddress::isLoopbackAddress), MilterServerOptions.DEFAULT, n -> 0);
    try (MilterClient c = MilterClient.connect(allowing.actualPort())) {
      assertThat(c.open()).isEqualTo(NEGOTIATED + CONTINUE);
    }
  }

  @Test
  void gracefulCloseFinishesInFlightMessagesThenStops() throws Exception {
    MilterServer server = start(MilterServerOptions.DEFAULT, n -> 400);
    int port = server.actualPort();
    try (MilterClient busy = MilterClient.connect(port);
        MilterClient idle = MilterClient.connect(port)) {
      busy.open();
      idle.open();
      busy.message("a@example.com");
      assertThat(busy.read(1)).isEqualTo(CONTINUE);
      busy.send(frame('E'));
      Thread.sleep(50);
      Future<Void> closed = server.close(Duration.ofSeconds(5));
      assertThat(idle.closedByServer()).isTrue();
      assertThat(busy.read(2)).isEqualTo(HeaderHandler.answer(1));
      assertThat(busy.closedByServer()).isTrue();
      get(closed);
      assertThat(server.openConnections()).isZero();
      assertThatThrownBy(() -> MilterClient.connect(port).close())
          .isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void gracefulCloseGivesUpAfterTheGracePeriod() throws Exception {
    MilterServer server = start(MilterServerOptions.DEFAULT, n -> -1);
    try (MilterClient busy = MilterClient.connect(server.actualPort())) {
      busy.open();
      busy.message("a@example.com");
      assertThat(busy.read(1)).isEqualTo(CONTINUE);
      busy.send(frame('E'));
      Thread.sleep(50);
      long t0 = System.nanoTime();
      get(server.close(Duration.ofMillis(300)));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 3000L);
      assertThat(busy.closedByServer()).isTrue();
      await(() -> server.openConnections() == 0);
    }
  }
}
